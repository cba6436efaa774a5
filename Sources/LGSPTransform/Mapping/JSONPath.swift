/// A path into JSON as mapping authors write it: dotted (`address.commune`, `members.0.name`), or a
/// JSON pointer (`/address/commune`). Inside a `for-each`, paths start at the current item; a path
/// starting with `$` (`$.household.id`, `$/household/id`) starts at the document root. `.` (or `$`)
/// alone is the current item (or the root).
public struct JSONPath: Sendable, Hashable, CustomStringConvertible {
    /// The steps: member names, or array indexes as text.
    public var tokens: [String]
    /// True for `$…` paths, read from the document root even inside a for-each.
    public var fromRoot: Bool
    /// The path as written.
    public var description: String

    /// Parses a path; nil when it is empty or has an empty segment (`a..b`).
    public init?(_ text: String) {
        var body = Substring(text.trimmingCharacters(in: .whitespaces))
        description = String(body)
        fromRoot = body.hasPrefix("$")
        if fromRoot { body = body.dropFirst() }
        if body.hasPrefix(".") && !fromRoot && body.count == 1 { tokens = []; return }
        if body.isEmpty {
            guard fromRoot else { return nil }
            tokens = []
            return
        }
        if body.hasPrefix("/") {
            guard let pointer = JSONSchemaURI.pointerTokens(String(body)) else { return nil }
            tokens = pointer
        } else {
            if body.hasPrefix(".") { body = body.dropFirst() }
            tokens = body.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        }
        guard !tokens.contains(where: \.isEmpty) else { return nil }
    }

    /// The value at this path from `current` (or `root`), or nil when a step is missing.
    public func resolve(root: JSONValue, current: JSONValue) -> JSONValue? {
        var value = fromRoot ? root : current
        for token in tokens {
            switch value {
            case .object(let object):
                guard let next = object[token] else { return nil }
                value = next
            case .array(let list):
                guard let index = Int(token), list.indices.contains(index) else { return nil }
                value = list[index]
            default:
                return nil
            }
        }
        return value
    }
}
