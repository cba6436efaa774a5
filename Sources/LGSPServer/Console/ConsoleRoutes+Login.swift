import Foundation
import HTTPTypes
import Hummingbird
import LGSPAuth
import LGSPCore

/// Signing in through the hub's own SSO (authorization code + PKCE S256, redeemed in process), signing
/// out through its end-session endpoint, the language switch and the stylesheet.
extension ConsoleRoutes {
    func registerLogin(on router: HubRouter) {
        router.get("/console/callback") { request, _ in try await callback(request) }
        post(router, "/console/logout") { console in try await logout(console) }
        router.get("/console/lang") { request, _ in switchLanguage(request) }
        router.get("/console/static/console.css") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "text/css; charset=utf-8", .cacheControl: "max-age=3600"],
                body: ResponseBody(byteBuffer: renderer.stylesheet))
        }
    }

    /// The redirect URI registered for the built-in `lgsp-console` client.
    var redirectURI: String { hub.sso.issuer + "/console/callback" }

    private var secureCookies: Bool { hub.configuration.usesTLS || hub.sso.issuer.hasPrefix("https://") }

    /// Sends the browser to the SSO's authorization endpoint, keeping state, nonce, PKCE verifier and
    /// the page to come back to in a short-lived sealed cookie.
    func startLogin(back: String) -> Response {
        let login = ConsoleLoginState(
            state: ConsoleSeal.randomToken(), nonce: ConsoleSeal.randomToken(), verifier: ConsoleSeal.randomToken(),
            back: Self.localPath(back) ?? "/console/", expiresAt: hub.clock.now().addingTimeInterval(Self.loginLifetime))
        let query = [
            ("response_type", "code"), ("client_id", SSOService.consoleClientID), ("redirect_uri", redirectURI), ("scope", "openid profile"),
            ("state", login.state), ("nonce", login.nonce), ("code_challenge", ConsoleSeal.challenge(of: login.verifier)),
            ("code_challenge_method", "S256"),
        ].map { "\($0.0)=\(FormEncoding.encode($0.1))" }.joined(separator: "&")
        var response = Self.redirect("/sso/authorize?" + query)
        response.setCookie(
            Cookie(
                name: Self.loginCookie, value: seal.seal(login, context: "login"), maxAge: Int(Self.loginLifetime), path: "/console",
                secure: secureCookies, httpOnly: true, sameSite: .lax))
        return response
    }

    /// `GET /console/callback?code&state`: checks the state against the sign-in cookie, redeems the code
    /// in process and opens a console session.
    private func callback(_ request: Request) async throws -> Response {
        let language = Self.language(request)
        let query = request.uri.queryParameters
        guard let login = seal.open(ConsoleLoginState.self, request.cookies[Self.loginCookie]?.value, context: "login"),
            login.expiresAt > hub.clock.now()
        else {
            return plainError(.badRequest, "error_login_expired", language)
        }
        guard let state = query["state"], ConstantTime.equal(String(state), login.state) else {
            record("console.login", session: nil, target: "GET /console/callback", outcome: ErrorCode.invalidField.rawValue)
            return plainError(.badRequest, "error_login_state", language)
        }
        if let error = query["error"] {
            return plainError(.badRequest, "error_login_refused", language, detail: "\(error): \(query["error_description"] ?? "")")
        }
        let identity: SSOIdentity
        do {
            identity = try await hub.sso.redeem(
                code: String(query["code"] ?? ""), clientID: SSOService.consoleClientID, redirectURI: redirectURI, codeVerifier: login.verifier)
        } catch let error as LGSPError {
            record("console.login", session: nil, target: "GET /console/callback", outcome: error.code.rawValue)
            return plainError(.badRequest, "error_login_refused", language, detail: error.message)
        }
        let lifetime = min(hub.configuration.sso.sessionLifetime, 12 * 3600)
        let session = ConsoleSession(identity: identity, lifetime: lifetime, now: hub.clock.now())
        record("console.login", session: session, target: "roles=\(identity.roles.map(\.rawValue).joined(separator: ",")) unit=\(identity.unit?.rawValue ?? "-")")
        var response = Self.redirect(login.back)
        response.setCookie(
            Cookie(
                name: Self.sessionCookie, value: seal.seal(session, context: "session"), maxAge: Int(lifetime), path: "/console",
                secure: secureCookies, httpOnly: true, sameSite: .lax))
        response.setCookie(Cookie(name: Self.loginCookie, value: "", maxAge: 0, path: "/console", secure: secureCookies, httpOnly: true, sameSite: .lax))
        return response
    }

    /// `POST /console/logout`: ends the SSO session (so every app of it is told), clears the console
    /// cookie and passes through the SSO's end-session endpoint, which clears its own cookie and comes back.
    private func logout(_ console: ConsoleRequest) async throws -> Response {
        try await hub.sso.endSession(id: console.session.ssoSessionID)
        record("console.logout", session: console.session, target: "session \(console.session.id)")
        let back = hub.sso.issuer + "/console/"
        var response = Self.redirect(
            "/sso/logout?client_id=\(SSOService.consoleClientID)&post_logout_redirect_uri=\(FormEncoding.encode(back))")
        response.setCookie(Cookie(name: Self.sessionCookie, value: "", maxAge: 0, path: "/console", secure: secureCookies, httpOnly: true, sameSite: .lax))
        return response
    }

    /// `GET /console/lang?to=en|vi&back=/console/…`: remembers the language in the `lang` cookie and goes
    /// back to a console page (any other `back` goes to the dashboard).
    private func switchLanguage(_ request: Request) -> Response {
        let query = request.uri.queryParameters
        guard let to = query["to"].flatMap({ ConsoleLanguage(rawValue: String($0)) }) else {
            return plainError(.badRequest, "error_language", Self.language(request))
        }
        var response = Self.redirect(Self.localPath(query["back"].map(String.init)) ?? "/console/")
        response.setCookie(
            Cookie(
                name: Self.languageCookie, value: to.rawValue, maxAge: 365 * 86400, path: "/", secure: secureCookies, httpOnly: true,
                sameSite: .lax))
        return response
    }

    /// A page outside the signed-in layout (sign-in problems, bad switch links).
    func plainError(_ status: HTTPResponse.Status, _ key: String, _ language: ConsoleLanguage, detail: String = "") -> Response {
        renderer.render(
            "plain-error", data: ["message": renderer.catalogue.text(key, language), "detail": detail], layout: [:], language: language,
            status: status)
    }
}
