import Foundation
import HTTPTypes
import Hummingbird
import LGSPAuth
import LGSPCore
import NIOCore

/// The OpenID Connect provider's endpoints (Article 11): discovery, JWKS, authorization (the Vietnamese
/// login page), token, userinfo and end-session. Unsigned: apps authenticate as OAuth clients, officials
/// with their password. Protocol errors follow RFC 6749 (`error`, `error_description`), not the hub's
/// problem documents.
struct SSORoutes {
    let hub: Hub
    var sso: SSOService { hub.sso }

    /// The browser's SSO session cookie and the login form's CSRF cookie.
    static let sessionCookie = "lgsp_sso"
    static let csrfCookie = "lgsp_sso_csrf"
    static let maxFormBytes = 64 * 1024

    func register(on router: HubRouter) {
        router.get("/.well-known/openid-configuration") { _, _ in
            try Self.json(Discovery(sso.endpoints))
        }
        router.get("/sso/jwks") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "application/jwk-set+json", .cacheControl: "max-age=300"],
                body: ResponseBody(byteBuffer: ByteBuffer(data: try await hub.sessions.jwks())))
        }
        router.get("/sso/authorize") { request, _ in try await authorize(request) }
        router.post("/sso/authorize") { request, _ in try await login(request) }
        router.post("/sso/token") { request, _ in try await token(request) }
        router.get("/sso/userinfo") { request, _ in try await userinfo(request) }
        router.post("/sso/userinfo") { request, _ in try await userinfo(request) }
        router.get("/sso/logout") { request, _ in try await logout(request) }
        router.post("/sso/logout") { request, _ in try await logout(request) }
        SSOAdminRoutes(hub: hub).register(on: router)
    }

    // MARK: Token

    private func token(_ request: Request) async throws -> Response {
        do {
            let form = try await Self.form(request)
            let client = try await authenticateClient(request, form: form)
            guard form["grant_type"] == "authorization_code" else {
                throw OAuthError(error: "unsupported_grant_type", description: "only grant_type=authorization_code is supported")
            }
            guard let redirectURI = form["redirect_uri"] else { throw OAuthError.invalidRequest("the request has no redirect_uri") }
            guard let verifier = form["code_verifier"] else {
                throw OAuthError.invalidRequest("PKCE is required: the request has no code_verifier")
            }
            let tokens = try await sso.tokens(code: form["code"] ?? "", client: client, redirectURI: redirectURI, codeVerifier: verifier)
            return try Self.json(tokens)
        } catch let error as OAuthError {
            var response = try Self.json(["error": error.error, "error_description": error.description], status: error.status)
            if error.status == .unauthorized { response.headers[.wwwAuthenticate] = "Basic realm=\"lgsp-sso\"" }
            return response
        }
    }

    /// `client_secret_basic` or `client_secret_post` (RFC 6749 §2.3.1), never both.
    private func authenticateClient(_ request: Request, form: [String: String]) async throws -> SSOClient {
        var id: String?
        var secret: String?
        if let header = request.headers[.authorization], header.lowercased().hasPrefix("basic ") {
            guard let decoded = Data(base64Encoded: String(header.dropFirst(6)).trimmingCharacters(in: .whitespaces)),
                let text = String(data: decoded, encoding: .utf8), let colon = text.firstIndex(of: ":")
            else { throw OAuthError.invalidClient("the Basic authorization header cannot be read") }
            id = FormEncoding.decode(text[..<colon])
            secret = FormEncoding.decode(text[text.index(after: colon)...])
            if form["client_secret"] != nil {
                throw OAuthError.invalidRequest("use one client authentication method: Basic or client_secret, not both")
            }
        } else if let postedSecret = form["client_secret"] {
            id = form["client_id"]
            secret = postedSecret
        }
        guard let id, let secret else {
            throw OAuthError.invalidClient("client authentication is required (client_secret_basic or client_secret_post)")
        }
        if let named = form["client_id"], named != id { throw OAuthError.invalidRequest("client_id does not match the authenticated client") }
        guard let client = try await sso.client(id: id), !client.disabled, let hash = client.secretHash,
            ConstantTime.equal(SSOService.sha256Hex(secret), hash)
        else { throw OAuthError.invalidClient("client authentication failed") }
        return client
    }

    // MARK: Userinfo

    private func userinfo(_ request: Request) async throws -> Response {
        do {
            var token: String?
            if let header = request.headers[.authorization], header.lowercased().hasPrefix("bearer ") {
                token = String(header.dropFirst(7)).trimmingCharacters(in: .whitespaces)
            } else if request.method == .post {
                token = try await Self.form(request)["access_token"]
            }
            guard let token, !token.isEmpty else {
                var response = try Self.json(
                    ["error": "invalid_request", "error_description": "send the access token as Authorization: Bearer"], status: .unauthorized)
                response.headers[.wwwAuthenticate] = "Bearer realm=\"lgsp-sso\""
                return response
            }
            return try Self.json(try await sso.userinfo(accessToken: token))
        } catch let error as OAuthError {
            var response = try Self.json(["error": error.error, "error_description": error.description], status: error.status)
            response.headers[.wwwAuthenticate] = "Bearer realm=\"lgsp-sso\", error=\"\(error.error)\", error_description=\"\(error.description)\""
            return response
        }
    }

    // MARK: Helpers

    /// A form body's fields; a repeated field is refused (RFC 6749 §3.1).
    static func form(_ request: Request) async throws -> [String: String] {
        let contentType = request.headers[.contentType]?.lowercased() ?? ""
        guard contentType.hasPrefix("application/x-www-form-urlencoded") else {
            throw OAuthError.invalidRequest("the body must be application/x-www-form-urlencoded")
        }
        let body = try await request.body.collect(upTo: maxFormBytes)
        return try fields(String(buffer: body))
    }

    static func fields(_ text: String) throws -> [String: String] {
        var fields: [String: String] = [:]
        for (name, value) in FormEncoding.pairs(text) {
            guard fields[name] == nil else { throw OAuthError.invalidRequest("parameter '\(name.prefix(40))' is repeated") }
            fields[name] = value
        }
        return fields
    }

    static func json(_ value: some Encodable, status: HTTPResponse.Status = .ok) throws -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return Response(
            status: status, headers: [.contentType: "application/json; charset=utf-8", .cacheControl: "no-store", .pragma: "no-cache"],
            body: ResponseBody(byteBuffer: ByteBuffer(data: try encoder.encode(value))))
    }

    static func html(_ text: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(
            status: status,
            headers: [
                .contentType: "text/html; charset=utf-8", .cacheControl: "no-store",
                .contentSecurityPolicy: "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'", .xFrameOptions: "DENY",
            ],
            body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }

    static func redirect(_ location: String, status: HTTPResponse.Status = .found) -> Response {
        Response(status: status, headers: [.location: location, .cacheControl: "no-store"])
    }
}

extension HTTPField.Name {
    static let pragma = HTTPField.Name("Pragma")!
    static let xFrameOptions = HTTPField.Name("X-Frame-Options")!
}
