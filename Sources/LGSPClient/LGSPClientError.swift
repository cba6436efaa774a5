import LGSPAPI
import LGSPCore

/// A failure talking to a hub.
public enum LGSPClientError: Error, CustomStringConvertible, Sendable {
    /// The hub refused the request with a problem document.
    case problem(status: Int, ProblemBody)
    /// The hub answered something this client did not expect.
    case unexpectedResponse(status: Int, body: String)
    /// The download did not match the digest the hub announced.
    case contentDigestMismatch(expected: String, actual: String)
    /// Bad local input (missing file, bad option).
    case invalidInput(String)

    /// The hub's stable error code, when the hub sent one this client knows.
    public var code: ErrorCode? {
        if case .problem(_, let problem) = self { return ErrorCode(rawValue: problem.code) }
        return nil
    }

    public var description: String {
        switch self {
        case .problem(let status, let problem):
            var text = "\(problem.code) (HTTP \(status)): \(problem.detail)"
            if let details = problem.details, !details.isEmpty {
                text += " " + details.sorted { $0.key < $1.key }.map { "[\($0.key): \($0.value)]" }.joined(separator: " ")
            }
            return text
        case .unexpectedResponse(let status, let body):
            return "unexpected answer from the hub (HTTP \(status)): \(body.prefix(300))"
        case .contentDigestMismatch(let expected, let actual):
            return "the downloaded content has SHA-256 \(actual), but the packet declares \(expected)"
        case .invalidInput(let message):
            return message
        }
    }
}
