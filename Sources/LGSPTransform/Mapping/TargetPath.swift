import LGSPCore

/// Where a rule writes in the output: for JSON a dotted path or a JSON pointer, for XML element
/// names separated by `/` (`edXML:MessageHeader/edXML:From/edXML:OrganId`, `@attribute` last).
/// An empty path (`.`) is the current element of a `for-each` itself.
public struct TargetPath: Sendable, Hashable, CustomStringConvertible {
    /// The steps: member names (JSON) or qualified element names and `@attribute` (XML).
    public var segments: [String]
    /// The path as written.
    public var description: String

    /// Parses a target path for `format`; nil when a segment is empty.
    public init?(_ text: String, format: MappingFormat) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        description = trimmed
        if trimmed == "." || trimmed.isEmpty { segments = []; return }
        switch format {
        case .xml:
            segments = trimmed.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
            if segments.first == "" { segments.removeFirst() }
        case .json:
            if trimmed.hasPrefix("/") {
                guard let tokens = JSONSchemaURI.pointerTokens(trimmed) else { return nil }
                segments = tokens
            } else {
                segments = trimmed.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
            }
        }
        guard !segments.contains(where: \.isEmpty) else { return nil }
    }
}

extension JSONValue {
    /// Writes `value` at `path`, creating objects on the way; `append` adds to an array already there.
    ///
    /// Failure: `transform.rule_failed` (by the caller's location) when a step is not an object.
    mutating func set(_ value: JSONValue, at path: ArraySlice<String>, append: Bool = false) -> Bool {
        guard let first = path.first else {
            if append, case .array(let existing) = self, case .array(let more) = value {
                self = .array(existing + more)
            } else {
                self = value
            }
            return true
        }
        if self == .null { self = .object(JSONObject()) }
        guard case .object(var object) = self else { return false }
        // Release self's reference so the members are mutated in place, not copied.
        self = .null
        let done = object.update(first) { child in child.set(value, at: path.dropFirst(), append: append) }
        self = .object(object)
        return done
    }
}
