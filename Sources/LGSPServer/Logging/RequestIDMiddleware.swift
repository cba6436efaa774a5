import Foundation
import HTTPTypes
import Hummingbird

/// The id of the request the current task serves (`X-Request-Id`), nil outside requests.
public enum RequestID {
    @TaskLocal public static var current: String?

    /// The longest client-given id kept.
    public static let maximumLength = 64

    /// The client's `X-Request-Id` when it is 1…64 characters of letters, digits, `-`, `_` and `.`;
    /// nil otherwise (the hub then makes its own).
    public static func accepted(_ given: String?) -> String? {
        guard let given, (1...maximumLength).contains(given.count),
            given.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == ".") })
        else { return nil }
        return given
    }

    /// A new id: a lowercase UUID.
    public static func generate() -> String { UUID().uuidString.lowercased() }
}

/// Gives every request an id: the client's `X-Request-Id` when it is short and plain, else a new
/// one. The id is echoed in the answer's `X-Request-Id` (also on problem documents, which carry it
/// as `requestId`), set as `requestId` on the request's logger, and available to everything the
/// request runs (`RequestID.current`: the audit log, JSON log lines). Logs each request at debug level.
///
/// Sits outside `ProblemMiddleware`, so every answer, failures included, carries the header.
struct RequestIDMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let id = RequestID.accepted(request.headers[.requestID]) ?? RequestID.generate()
        var context = context
        context.logger[metadataKey: "requestId"] = .string(id)
        let started = ContinuousClock.now
        var response = try await RequestID.$current.withValue(id) { try await next(request, context) }
        response.headers[.requestID] = id
        // The access log, at debug level: method, path (never the query: presigned URLs carry signatures), status, time.
        context.logger.debug(
            "request",
            metadata: [
                "method": "\(request.method.rawValue)", "path": "\(request.uri.path.prefix(512))", "status": "\(response.status.code)",
                "ms": "\((ContinuousClock.now - started).milliseconds)",
            ])
        return response
    }
}

extension Duration {
    /// Whole milliseconds.
    fileprivate var milliseconds: Int64 { components.seconds * 1000 + components.attoseconds / 1_000_000_000_000_000 }
}
