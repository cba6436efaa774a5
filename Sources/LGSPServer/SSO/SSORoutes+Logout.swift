import Foundation
import Hummingbird
import LGSPAuth
import LGSPCore

extension SSORoutes {
    /// `GET|POST /sso/logout` (OIDC RP-Initiated Logout 1.0): reads `id_token_hint` (signed by the hub,
    /// possibly expired) or `client_id`, checks that `post_logout_redirect_uri` is registered for that
    /// client (an error page otherwise, never a redirect), ends the SSO session named by the hint's `sid`
    /// or the browser's cookie, tells the session's clients (back-channel), clears the cookie, and
    /// redirects with `state` — or shows the signed-out page when no address was given.
    func logout(_ request: Request) async throws -> Response {
        let parameters: [String: String]
        do {
            parameters = request.method == .post ? try await Self.form(request) : try Self.fields(request.uri.query ?? "")
        } catch let error as OAuthError {
            return Self.html(SSOPages.error("Yêu cầu đăng xuất không hợp lệ", error.description), status: .badRequest)
        }
        var clientID = parameters["client_id"]
        var sessionID: String?
        if let hint = parameters["id_token_hint"], !hint.isEmpty {
            guard let claims = try? await hub.sessions.verify(hint, as: IDTokenHint.self), claims.issuer == sso.issuer,
                let audience = claims.audience.first
            else {
                return Self.html(
                    SSOPages.error("Yêu cầu đăng xuất không hợp lệ", "id_token_hint is not an id token issued by this SSO"), status: .badRequest)
            }
            if let clientID, clientID != audience {
                return Self.html(
                    SSOPages.error("Yêu cầu đăng xuất không hợp lệ", "client_id does not match the id_token_hint's audience"), status: .badRequest)
            }
            clientID = audience
            sessionID = claims.sid
        }
        var target: String?
        if let uri = parameters["post_logout_redirect_uri"], !uri.isEmpty {
            guard let clientID, let client = try await sso.client(id: clientID), client.postLogoutRedirectURIs.contains(uri) else {
                return Self.html(
                    SSOPages.error(
                        "Yêu cầu đăng xuất không hợp lệ",
                        "post_logout_redirect_uri '\(uri.prefix(200))' is not registered for the client named by id_token_hint or client_id"),
                    status: .badRequest)
            }
            target = uri
        }
        if sessionID == nil, let cookie = request.cookies[Self.sessionCookie]?.value, let (session, _) = try await sso.session(cookie: cookie) {
            sessionID = session.id
        }
        if let sessionID { try await sso.endSession(id: sessionID) }
        var response: Response
        if let target {
            var location = target
            if let state = parameters["state"] {
                location += (target.contains("?") ? "&" : "?") + "state=" + FormEncoding.encode(state)
            }
            response = Self.redirect(location, status: request.method == .post ? .seeOther : .found)
        } else {
            response = Self.html(SSOPages.signedOut())
        }
        response.setCookie(Cookie(name: Self.sessionCookie, value: "", maxAge: 0, path: "/sso", secure: secureCookies, httpOnly: true, sameSite: .lax))
        return response
    }
}
