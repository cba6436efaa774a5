/// One reason an instance does not satisfy a schema.
public struct JSONSchemaIssue: Sendable, Hashable, CustomStringConvertible {
    /// Where in the instance, as a JSON pointer (`/members/0/birthDate`; empty for the whole value).
    public var instanceLocation: String
    /// The keyword that failed (`required`, `type`, `pattern`, …).
    public var keyword: String
    /// What is wrong, for a person.
    public var message: String

    public var description: String {
        "\(instanceLocation.isEmpty ? "(root)" : instanceLocation): \(message) [\(keyword)]"
    }
}
