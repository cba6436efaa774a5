import AsyncHTTPClient
import Foundation
import LGSPAPI
import LGSPAuth
import LGSPCore
import NIOCore
import NIOFoundationCompat
import NIOHTTP1

/// Article 10: session keys, calls to other units' services through the hub, introspection.
extension LGSPClient {
    /// Steps 1–2: a session key to call `service` (`<unit code>/<name>`).
    public func session(service: String, scope: [String] = [], ttlSeconds: Int? = nil) async throws -> SessionResponse {
        try await json(.POST, "/v1/auth/sessions", body: SessionRequest(service: service, scope: scope, ttlSeconds: ttlSeconds))
    }

    /// Step 3: calls a service through the hub with a session token; returns the provider's status, headers and body.
    public func callService(
        _ service: String, path: String = "", method: HTTPMethod = .GET, body: Data = Data(), contentType: String? = nil, session token: String
    ) async throws -> (status: Int, headers: HTTPHeaders, body: Data) {
        let ref = try ServiceRef(parsing: service)
        let fullPath = "/v1/services/\(ref.unit.rawValue)/\(ref.name)" + (path.isEmpty || path.hasPrefix("/") ? path : "/" + path)
        let (target, query) = Self.split(fullPath)
        var extra: [(String, String)] = [("x-lgsp-session", token)]
        if let contentType { extra.append(("content-type", contentType)) }
        let request = try makeRequest(method, target, query: query, body: body, signed: true, extraHeaders: extra)
        let response = try await http.execute(request, timeout: .seconds(300))
        let bytes = try await response.body.collect(upTo: 64 << 20)
        return (Int(response.status.code), response.headers, Data(buffer: bytes))
    }

    /// Steps 4–5, for a provider: asks the hub whether a session token is active and meant for this app's service.
    public func introspect(token: String) async throws -> IntrospectionResponse {
        try await json(.POST, "/v1/auth/introspect", body: IntrospectionRequest(token: token))
    }

    static func split(_ path: String) -> (String, [(String, String)]) {
        guard let mark = path.firstIndex(of: "?") else { return (path, []) }
        let query = path[path.index(after: mark)...].split(separator: "&").map { pair -> (String, String) in
            let parts = pair.split(separator: "=", maxSplits: 1).map { PercentEncoding.decode($0) }
            return (parts[0], parts.count > 1 ? parts[1] : "")
        }
        return (String(path[..<mark]), query)
    }
}
