import Foundation

/// One step of a rule's `apply` list. Steps run in order on the value read from the source; text
/// steps applied to an array apply to each element. `null` passes through every step unchanged.
public enum MappingFunction: Sendable {
    case trim, upper, lower, capitalize, collapseSpaces, nfc, removeDiacritics
    case string, number, integer, boolean
    case first
    case join(String)
    case split(String)
    case date(from: [DatePattern], to: DatePattern)
    case name(VietnameseName.Part)
    case pad(width: Int, character: Character)
    case replace(RegexBox, with: String)
    case map(values: [String: JSONValue], unknown: UnknownValuePolicy)
    case lookup(CatalogueLookup)

    /// The names authors write, for messages.
    static let names = [
        "trim", "upper", "lower", "capitalize", "collapse-spaces", "nfc", "remove-diacritics", "string", "number",
        "integer", "boolean", "first", "join", "split", "date", "name", "pad", "replace", "map", "catalogue",
    ]
}

/// A compiled regular expression that can travel between threads (it is immutable once made).
public final class RegexBox: @unchecked Sendable {
    /// The compiled expression.
    public let regex: NSRegularExpression
    /// The expression as written.
    public let pattern: String

    init(_ pattern: String) throws {
        self.regex = try NSRegularExpression(pattern: pattern)
        self.pattern = pattern
    }
}
