import Foundation

/// The one error type of the platform: a stable code, a message that names the problem, and details.
///
/// Messages are written for the person reading the response: they name the field or value at fault
/// (`recipient 000.00.00.H99 is not in the directory`). They never contain secrets or signatures.
public struct LGSPError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The stable code.
    public var code: ErrorCode
    /// A human-readable message naming the problem.
    public var message: String
    /// The request field at fault, as a JSON pointer-like path (`to[1]`, `content.sha256`), if any.
    public var field: String?
    /// Extra machine-readable facts (e.g. `serverTime` for clock skew, `suggestions`).
    public var details: [String: String]

    public init(_ code: ErrorCode, _ message: String, field: String? = nil, details: [String: String] = [:]) {
        self.code = code
        self.message = message
        self.field = field
        self.details = details
    }

    public var description: String { "\(code.rawValue): \(message)" }
}

extension LGSPError {
    /// Wraps an unexpected storage failure without leaking internals to the client.
    public static func storage(_ underlying: any Error) -> LGSPError {
        if let error = underlying as? LGSPError { return error }
        return LGSPError(.storageFailure, "the hub could not read or write its storage; the request was not applied")
    }
}
