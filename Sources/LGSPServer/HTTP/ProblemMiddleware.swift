import Foundation
import HTTPTypes
import Hummingbird
import LGSPAPI
import LGSPCore
import Logging
import NIOCore
import NIOHTTP1

/// Turns every failure into an RFC 9457 problem document (`application/problem+json`) with the hub's
/// stable error code, and logs server-side failures. Messages never contain secrets or signatures.
struct ProblemMiddleware<Context: RequestContext>: RouterMiddleware {
    let logger: Logger
    let routes: RouteTable

    // A refused upload may leave its body unread: Hummingbird then reads and discards the rest
    // before the next request on the connection (closing instead would make the kernel reset the
    // connection over unread data, and clients could lose the answer).
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        try await problemResponse(request, context: context, next: next)
    }

    private func problemResponse(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as LGSPError {
            if error.code.side == .server {
                logger.error(
                    "request failed",
                    metadata: ["path": "\(request.uri.path)", "code": "\(error.code.rawValue)", "error": "\(error.message)", "requestId": "\(RequestID.current ?? "")"])
            }
            return Self.response(for: error, method: request.method)
        } catch let error as NIOTooManyBytesError {
            return Self.response(for: LGSPError(.bodyTooLarge, "the request body is larger than the \(error.maxBytes.map(String.init) ?? "allowed") bytes this endpoint accepts"), method: request.method)
        } catch let error as HTTPError {
            let translated: LGSPError
            switch error.status {
            case .notFound:
                let allowed = routes.methods(for: request.uri.path)
                if !allowed.isEmpty {
                    var response = Self.response(
                        for: LGSPError(.methodNotAllowed, "\(request.method.rawValue) is not allowed on \(request.uri.path); allowed: \(allowed.joined(separator: ", "))"),
                        method: request.method)
                    response.headers[.allow] = allowed.joined(separator: ", ")
                    return response
                }
                translated = LGSPError(.routeNotFound, "no endpoint \(request.method.rawValue) \(request.uri.path); see /openapi.json")
            case .methodNotAllowed:
                translated = LGSPError(.methodNotAllowed, "\(request.method.rawValue) is not allowed on \(request.uri.path)")
            case .contentTooLarge:
                translated = LGSPError(.bodyTooLarge, "the request body is too large for this endpoint")
            default:
                translated = LGSPError(.invalidField, error.body ?? "the request was refused (\(error.status.code))")
            }
            return Self.response(for: translated, method: request.method)
        } catch is HTTPParserError {
            // The client went away or sent a broken request mid-body; bytes already stored stay stored.
            logger.info("request ended early", metadata: ["path": "\(request.uri.path)"])
            return Self.response(for: LGSPError(.invalidField, "the request ended before its body was complete"), method: request.method)
        } catch {
            logger.error(
                "unexpected failure",
                metadata: ["path": "\(request.uri.path)", "error": "\(String(reflecting: type(of: error)))", "requestId": "\(RequestID.current ?? "")"])
            return Self.response(for: LGSPError(.internalError, "the hub failed to handle the request; the failure is logged"), method: request.method)
        }
    }

    static func response(for error: LGSPError, method: HTTPRequest.Method) -> Response {
        let status = error.code.kind.httpStatus
        let problem = ProblemBody(
            type: "https://lgsp.vn/errors/\(error.code.rawValue)", title: error.code.rawValue, status: status.code, detail: error.message,
            code: error.code.rawValue, field: error.field, details: error.details.isEmpty ? nil : error.details, requestId: RequestID.current)
        var headers: HTTPFields = [.contentType: "application/problem+json"]
        if let offset = error.details["uploadOffset"] { headers[.uploadOffset] = offset }
        if error.code.kind == .unauthenticated {
            headers[.wwwAuthenticate] = "AWS4-HMAC-SHA256"
        }
        let data = (try? APICoding.makeEncoder().encode(problem)) ?? Data()
        return Response(status: status, headers: headers, body: method == .head ? ResponseBody() : ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }
}

extension HTTPField.Name {
    /// The bytes of an upload received so far (as in the tus and IETF resumable-upload drafts).
    static let uploadOffset = HTTPField.Name("Upload-Offset")!
    static let reprDigest = HTTPField.Name("Repr-Digest")!
}
