import Foundation
import HTTPTypes
import Hummingbird
import LGSPCore
import NIOCore

/// Gives every request an id and an `AuditScope` (who, from where), and records what the audit log
/// keeps of HTTP traffic: admin mutations, authentication failures, service calls, content
/// downloads and refused integration requests. Packet state changes are recorded by the exchange's
/// observer (`HubActivity`) inside the same scope. Also counts authentication failures for `/metrics`.
///
/// Sits inside `ProblemMiddleware`, so it sees the hub's error codes before they become problem documents.
struct AuditMiddleware: RouterMiddleware {
    typealias Context = HubRequestContext
    let audit: AuditRecorder
    let metrics: HubMetrics
    /// The most of an admin request's body buffered for the audit summary (the routes' own limit).
    let maxAdminBody: Int

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let requestID = RequestID.current ?? Self.requestID(from: request)
        let scope = AuditScope(source: Self.address(context.channel.remoteAddress), requestID: requestID)
        var request = request
        var summary = ""
        do {
            if Self.isAdminMutation(request) {
                // Buffered (the handler reads it again) to name what the action was about: the unit, app, grant…
                summary = Self.summary(of: try await request.collectBody(upTo: maxAdminBody))
            }
            var response = try await AuditScope.$current.withValue(scope) { try await next(request, context) }
            response.headers[.requestID] = requestID
            record(request, pattern: context.endpointPath, scope: scope, status: response.status.code, code: nil, summary: summary)
            return response
        } catch let error as LGSPError {
            if error.code.kind == .unauthenticated || error.code.kind == .forbidden { metrics.authFailure(error.code) }
            record(request, pattern: context.endpointPath, scope: scope, status: error.code.httpStatusCode, code: error.code, summary: summary)
            throw error
        } catch {
            let status = (error as? HTTPError)?.status.code ?? (error is NIOTooManyBytesError ? 413 : 500)
            record(request, pattern: context.endpointPath, scope: scope, status: status, code: nil, summary: summary)
            throw error
        }
    }

    private func record(_ request: Request, pattern: String?, scope: AuditScope, status: Int, code: ErrorCode?, summary: String) {
        let path = request.uri.path
        let method = request.method
        let ok = (200..<400).contains(status)
        let outcome = ok ? "ok" : code?.rawValue ?? "http.\(status)"
        let action: String
        if let code, code.kind == .unauthenticated || code.kind == .forbidden {
            action = "auth.failure"
        } else if Self.isAdminMutation(request) {
            action = Self.adminAction(method: method, pattern: pattern ?? path)
        } else if path.hasPrefix("/v1/services/") {
            action = "service.call"
        } else if method == .get && path.hasPrefix("/v1/packets/") && path.hasSuffix("/content") {
            guard ok else { return }
            action = "packet.downloaded"
        } else if !ok && method != .get && method != .head && path.hasPrefix("/v1/") {
            action = "request.refused"
        } else {
            return
        }
        audit.record(
            AuditRecord(
                at: audit.clock.now(), actor: scope.actor, action: action, target: "\(method.rawValue) \(String(path.prefix(512)))\(summary)", outcome: outcome,
                source: scope.source, requestID: scope.requestID))
    }

    static func isAdminMutation(_ request: Request) -> Bool {
        request.uri.path.hasPrefix("/v1/admin/") && request.method != .get && request.method != .head
    }

    /// The identifying members of an admin request's JSON body, ` {code=…, name=…}`; never keys or secrets.
    static func summary(of body: ByteBuffer) -> String {
        guard body.readableBytes > 0, let object = try? JSONSerialization.jsonObject(with: Data(body.readableBytesView)) as? [String: Any] else {
            return ""
        }
        let fields = identifying.compactMap { name -> String? in
            guard let value = object[name] else { return nil }
            let text = (value as? [Any]).map { $0.map { "\($0)" }.joined(separator: ",") } ?? "\(value)"
            return "\(name)=\(text.prefix(200))"
        }
        return fields.isEmpty ? "" : " {\(fields.joined(separator: ", "))}"
    }

    /// Body members that say what an admin action is about (never `secretKey`, `rsaPublicKey` or the like).
    static let identifying = [
        "code", "name", "parent", "unit", "app", "sendTo", "dataType", "service", "url", "provider", "receives", "accepts", "formats",
        "schemes", "allowSha1", "debugSignatures", "seconds", "at", "by", "effective", "reason", "grace", "path", "login", "roles",
    ]

    /// `POST /v1/admin/apps/{accessKey}/keys/{keyId}/revoke` → `admin.apps.keys.revoke`;
    /// `POST /v1/admin/units` → `admin.units.create`.
    static func adminAction(method: HTTPRequest.Method, pattern: String) -> String {
        let words = pattern.split(separator: "/").dropFirst(2).filter { !$0.hasPrefix("{") && !$0.hasPrefix(":") }
        var action = "admin." + words.joined(separator: ".")
        if method == .post && words.count == 1 { action += ".create" }
        if method == .put { action += ".set" }
        if method == .delete { action += ".delete" }
        return action
    }

    /// `203.0.113.7:50412` or `[2001:db8::7]:50412`.
    static func address(_ address: SocketAddress?) -> String {
        guard let address else { return "unknown" }
        guard let ip = address.ipAddress else { return address.description }
        let host = ip.contains(":") ? "[\(ip)]" : ip
        return address.port.map { "\(host):\($0)" } ?? host
    }

    /// The client's `X-Request-Id` when it is short and plain, else a new one.
    static func requestID(from request: Request) -> String {
        if let given = request.headers[.requestID], (1...64).contains(given.count),
            given.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == ".") })
        {
            return given
        }
        return UUID().uuidString.lowercased()
    }
}

extension HTTPField.Name {
    /// The id of a request, echoed in the answer and kept in the audit log.
    static let requestID = HTTPField.Name("X-Request-Id")!
}
