import Foundation
import Hummingbird
import LGSPAPI
import LGSPAuth
import LGSPCore
import NIOCore

/// Article 10: session keys (steps 1–2), introspection for the destination service (steps 4–5),
/// and the public keys for offline verification.
struct AuthRoutes {
    let hub: Hub
    /// Longest session a consumer may ask for, in seconds.
    static let maxSessionSeconds = 3600

    func register(on router: HubRouter) {
        router.post("/v1/auth/sessions") { request, _ in try await session(request) }
        router.post("/v1/auth/introspect") { request, _ in try await introspect(request) }
        router.get("/v1/auth/jwks") { _, _ in
            Response(status: .ok, headers: [.contentType: "application/jwk-set+json", .cacheControl: "max-age=300"],
                body: ResponseBody(byteBuffer: ByteBuffer(bytes: try await hub.sessions.jwks())))
        }
    }

    /// Checks the signature, that the caller is a unit's app, that the service exists and that the
    /// caller is granted it; then returns a short-lived token. Refusals say why.
    private func session(_ request: Request) async throws -> Response {
        let (caller, body) = try await hub.authenticatedJSON(SessionRequest.self, request)
        let unit = try caller.requireUnit(for: "ask for a session key")
        let ref = try ServiceRef(parsing: body.service)
        guard try await hub.store.service(ref) != nil else {
            throw LGSPError(.unknownService, "there is no service \(ref)", field: "service")
        }
        let grants = try await hub.store.grants(appID: caller.app.id)
        guard grants.contains(where: { $0.allowsCalling(ref) }) else {
            throw LGSPError(.serviceNotGranted, "app \(caller.app.accessKey) of unit \(unit) is not granted service \(ref); ask the hub administrator for a grant",
                field: "service")
        }
        let ttl = body.ttlSeconds ?? 300
        guard (1...Self.maxSessionSeconds).contains(ttl) else {
            throw LGSPError(.invalidField, "ttlSeconds must be between 1 and \(Self.maxSessionSeconds)", field: "ttlSeconds")
        }
        let scope = body.scope ?? []
        guard scope.allSatisfy({ !$0.isEmpty && !$0.contains(" ") && $0.count <= 100 }), scope.count <= 20 else {
            throw LGSPError(.invalidField, "scope values are up to 20 words without spaces", field: "scope")
        }
        let now = hub.clock.now()
        let expiresAt = now.addingTimeInterval(TimeInterval(ttl))
        let claims = SessionClaims(
            issuer: hub.configuration.exchange.hubName, consumerUnit: unit, service: ref, consumerApp: caller.app.accessKey, scope: scope,
            issuedAt: now, expiresAt: expiresAt, id: CredentialGenerator.identifier())
        let token = try await hub.sessions.sign(claims)
        return try JSONBody.response(
            SessionResponse(
                token: token, tokenType: "Bearer", service: ref.description,
                url: "\(hub.baseURL(for: request))/v1/services/\(ref.unit.rawValue)/\(ref.name)", scope: scope, expiresAt: expiresAt))
    }

    /// RFC 7662: active only for a valid token whose service belongs to the caller (the provider).
    private func introspect(_ request: Request) async throws -> Response {
        let body = try await request.body.collect(upTo: hub.configuration.maxJSONBytes)
        let caller = try await hub.authenticator.authenticate(
            request.signable, payload: .body(sha256: SigV4CanonicalHash.of(body), bytes: Data(body.readableBytesView)))
        let token = try Self.token(from: body, contentType: request.headers[.contentType])
        guard let claims = try? await hub.sessions.verify(token), let ref = try? ServiceRef(parsing: claims.service),
            let service = try await hub.store.service(ref), Self.provides(service, caller: caller)
        else {
            return try JSONBody.response(IntrospectionResponse.inactive)
        }
        return try JSONBody.response(
            IntrospectionResponse(
                active: true, scope: claims.scope, client_id: claims.azp, sub: claims.sub.value, aud: claims.service, iss: claims.iss.value,
                exp: Int64(claims.exp.value.timeIntervalSince1970), iat: Int64(claims.iat.value.timeIntervalSince1970), jti: claims.jti.value,
                token_type: "Bearer"))
    }

    /// Whether the caller is the service's provider: its app if one is set, otherwise any app of its unit.
    static func provides(_ service: Service, caller: Caller) -> Bool {
        if let provider = service.providerAppID { return caller.app.id == provider }
        return caller.app.unit == service.ref.unit
    }

    /// The `token` of an RFC 7662 form body (`token=…`) or of a JSON body.
    static func token(from body: ByteBuffer, contentType: String?) throws -> String {
        let text = String(buffer: body)
        if contentType?.hasPrefix("application/json") == true {
            return try JSONBody.decode(IntrospectionRequest.self, from: body).token
        }
        for pair in text.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1)
            if parts.count == 2, parts[0] == "token" {
                return PercentEncoding.decode(parts[1].replacingOccurrences(of: "+", with: " "))
            }
        }
        throw LGSPError(.missingField, "the introspection request needs a token (form field token=… or JSON {\"token\": …})", field: "token")
    }
}
