import LGSPCore

/// A problem `lgsp mapping check` found in a mapping, its test file or what they name.
public struct MappingIssue: Sendable, CustomStringConvertible {
    /// An error fails `lgsp mapping check`; a warning does not.
    public enum Severity: String, Sendable { case error, warning }

    /// How serious it is.
    public var severity: Severity
    /// The file as messages name it.
    public var file: String
    /// The line, when the problem has one.
    public var line: Int?
    /// The rule number (`3`, `5.2`), when the problem is in a rule.
    public var rule: String?
    /// The error code the problem corresponds to (`mapping.invalid`, …).
    public var code: ErrorCode
    /// What is wrong, for the mapping author.
    public var message: String

    public var description: String {
        let at = line.map { "\(file):\($0)" } ?? file
        return "\(severity.rawValue): \(at)\(rule.map { ": rule \($0)" } ?? ""): \(message) [\(code.rawValue)]"
    }

    /// An issue from a load error (which already names file and line in its message).
    init(_ error: LGSPError, file: String) {
        severity = .error
        self.file = error.details["mapping"] ?? file
        line = error.details["line"].flatMap { Int($0) }
        rule = error.details["rule"]
        code = error.code
        message = error.message
        // The message of a located error starts with "file:line: rule N…: "; keep only the reason.
        if let range = message.range(of: ": ", options: [], range: message.startIndex..<message.endIndex),
           message.hasPrefix(self.file) {
            var rest = String(message[range.upperBound...])
            if let rule, rest.hasPrefix("rule \(rule)") , let colon = rest.range(of: ": ") { rest = String(rest[colon.upperBound...]) }
            message = rest
        }
    }

    init(_ severity: Severity, file: String, line: Int?, rule: String?, code: ErrorCode = .invalidMapping, _ message: String) {
        self.severity = severity
        self.file = file
        self.line = line
        self.rule = rule
        self.code = code
        self.message = message
    }
}
