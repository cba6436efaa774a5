/// Which recipient unit codes a federation peer serves (`serves:` in the federation file).
///
/// Text forms: `suffix:H26` (the level-1 group of QCVN 102:2016, i.e. a province's codes),
/// `prefix:000.00.` (codes that start with the text) and `not-local` (every code the local
/// directory does not hold: the default route upstream).
public enum UnitServingRule: Sendable, Hashable, CustomStringConvertible {
    case suffix(String)
    case prefix(String)
    case notLocal

    /// Parses the text form, or throws `request.invalid_field` naming the accepted forms.
    public init(_ text: String) throws(LGSPError) {
        let trimmed = text.trimmingASCIIWhitespace()
        if trimmed == "not-local" {
            self = .notLocal
            return
        }
        let parts = trimmed.split(separator: ":", maxSplits: 1).map(String.init)
        guard parts.count == 2, !parts[1].isEmpty else {
            throw LGSPError(.invalidField, "serves rule '\(text)' must be suffix:H26, prefix:000.00. or not-local", field: "serves")
        }
        switch parts[0] {
        case "suffix":
            // QCVN 102:2016: the last group is level 1 (a letter and two digits).
            let value = parts[1].uppercased()
            guard value.count == 3, value.first!.isLetter, value.dropFirst().allSatisfy(\.isNumber) else {
                throw LGSPError(.invalidField, "suffix '\(parts[1])' is not a level-1 group such as H26", field: "serves")
            }
            self = .suffix(value)
        case "prefix":
            self = .prefix(parts[1].uppercased())
        default:
            throw LGSPError(.invalidField, "serves rule '\(text)' must be suffix:H26, prefix:000.00. or not-local", field: "serves")
        }
    }

    /// Whether the rule names `code` explicitly (`not-local` names no code: it is the fallback).
    public func names(_ code: UnitCode) -> Bool {
        switch self {
        case .suffix(let suffix): code.level1 == suffix
        case .prefix(let prefix): code.rawValue.hasPrefix(prefix)
        case .notLocal: false
        }
    }

    public var description: String {
        switch self {
        case .suffix(let suffix): "suffix:\(suffix)"
        case .prefix(let prefix): "prefix:\(prefix)"
        case .notLocal: "not-local"
        }
    }
}
