import LGSPCore

/// Where a rule sits in its mapping file, so that every error names file, line and rule.
public struct RuleLocation: Sendable, Hashable, CustomStringConvertible {
    /// The mapping file as messages name it (`mappings/citizen.mapping.yaml`).
    public var file: String
    /// The line of the rule's first key.
    public var line: Int
    /// The rule's number: `3` for the third rule, `5.2` for the second rule inside rule 5.
    public var rule: String
    /// The rule's target path as written.
    public var target: String

    public var description: String { "\(file):\(line): rule \(rule) (target \(target))" }

    /// An error of `code` located at this rule; `details` gain `mapping`, `line` and `rule`.
    public func error(_ code: ErrorCode, _ message: String, details: [String: String] = [:]) -> LGSPError {
        LGSPError(code, "\(description): \(message)",
            details: details.merging(["mapping": file, "line": "\(line)", "rule": rule]) { current, _ in current })
    }
}
