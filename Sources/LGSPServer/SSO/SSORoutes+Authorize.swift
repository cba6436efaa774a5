import Foundation
import HTTPTypes
import Hummingbird
import LGSPAuth
import LGSPCore

extension SSORoutes {
    /// `GET /sso/authorize`: checks the client and redirect URI (an error page if either is wrong, never a
    /// redirect), then either issues a code at once (a live `lgsp_sso` session, unless `prompt=login`) or
    /// shows the login page.
    func authorize(_ request: Request) async throws -> Response {
        let parameters: [String: String]
        do {
            parameters = try Self.fields(request.uri.query ?? "")
        } catch let error as OAuthError {
            return Self.html(SSOPages.error("Yêu cầu đăng nhập không hợp lệ", error.description), status: .badRequest)
        }
        let authorization = AuthorizationRequest(parameters)
        let client: SSOClient
        switch try await authorization.checkClient(sso) {
        case .failure(let error):
            return Self.html(SSOPages.error("Yêu cầu đăng nhập không hợp lệ", error.description), status: .badRequest)
        case .success(let found):
            client = found
        }
        if let error = authorization.checkParameters() {
            return Self.redirect(authorization.redirect([("error", error.error), ("error_description", error.description)], issuer: sso.issuer))
        }
        if authorization.prompt != "login", let cookie = request.cookies[Self.sessionCookie]?.value,
            let (session, _) = try await sso.session(cookie: cookie)
        {
            let code = try await sso.issueCode(for: authorization, session: session)
            return Self.redirect(authorization.redirect([("code", code)], issuer: sso.issuer))
        }
        if authorization.prompt == "none" {
            return Self.redirect(
                authorization.redirect([("error", "login_required"), ("error_description", "the official is not signed in")], issuer: sso.issuer))
        }
        return loginPage(authorization, client: client, request: request)
    }

    /// `POST /sso/authorize`: the login form. Checks the CSRF token (double-submit cookie, and `Origin`
    /// when the browser sends one), then the credentials; on success opens the SSO session and redirects
    /// to the client with `code` and `state`; otherwise shows the form again with a Vietnamese message.
    func login(_ request: Request) async throws -> Response {
        let form: [String: String]
        do {
            form = try await Self.form(request)
        } catch let error as OAuthError {
            return Self.html(SSOPages.error("Yêu cầu đăng nhập không hợp lệ", error.description), status: .badRequest)
        }
        let authorization = AuthorizationRequest(form)
        let client: SSOClient
        switch try await authorization.checkClient(sso) {
        case .failure(let error):
            return Self.html(SSOPages.error("Yêu cầu đăng nhập không hợp lệ", error.description), status: .badRequest)
        case .success(let found):
            client = found
        }
        let login = form["username"] ?? ""
        guard let cookie = request.cookies[Self.csrfCookie]?.value, let posted = form["csrf"], !posted.isEmpty,
            ConstantTime.equal(cookie, posted), originAllowed(request)
        else {
            return loginPage(
                authorization, client: client, request: request, login: login,
                message: "Phiên của biểu mẫu đăng nhập đã hết hạn hoặc không hợp lệ. Vui lòng đăng nhập lại.", status: .forbidden)
        }
        if let error = authorization.checkParameters() {
            return Self.redirect(
                authorization.redirect([("error", error.error), ("error_description", error.description)], issuer: sso.issuer), status: .seeOther)
        }
        switch try await sso.authenticate(login: login, password: form["password"] ?? "", totp: form["totp"]) {
        case .success(let official):
            let (session, secret) = try await sso.startSession(for: official)
            let code = try await sso.issueCode(for: authorization, session: session)
            var response = Self.redirect(authorization.redirect([("code", code)], issuer: sso.issuer), status: .seeOther)
            response.setCookie(
                Cookie(
                    name: Self.sessionCookie, value: secret, maxAge: Int(sso.configuration.sessionLifetime), path: "/sso", secure: secureCookies,
                    httpOnly: true, sameSite: .lax))
            return response
        case .wrongCredentials:
            return loginPage(
                authorization, client: client, request: request, login: login, message: "Tên đăng nhập hoặc mật khẩu không đúng.",
                status: .unauthorized)
        case .locked(let until):
            let minutes = max(1, Int((until.timeIntervalSince(hub.clock.now()) / 60).rounded(.up)))
            return loginPage(
                authorization, client: client, request: request, login: login,
                message: "Tài khoản tạm thời bị khóa do đăng nhập sai nhiều lần. Vui lòng thử lại sau \(minutes) phút.", status: .forbidden)
        case .disabled:
            return loginPage(
                authorization, client: client, request: request, login: login,
                message: "Tài khoản đã bị vô hiệu hóa. Vui lòng liên hệ quản trị viên.", status: .forbidden)
        case .totpNeeded:
            return loginPage(
                authorization, client: client, request: request, login: login,
                message: "Tài khoản có xác thực hai lớp: nhập lại mật khẩu và mã xác thực 6 chữ số.", askTOTP: true)
        case .wrongTOTP:
            return loginPage(
                authorization, client: client, request: request, login: login, message: "Mã xác thực không đúng.", askTOTP: true,
                status: .unauthorized)
        }
    }

    /// The login page, with the CSRF cookie (kept if the browser already has one).
    private func loginPage(
        _ authorization: AuthorizationRequest, client: SSOClient, request: Request, login: String = "", message: String? = nil,
        askTOTP: Bool = false, status: HTTPResponse.Status = .ok
    ) -> Response {
        let existing = request.cookies[Self.csrfCookie]?.value ?? ""
        let csrf = existing.count == 43 && existing.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }) ? existing : SSOService.randomToken()
        var response = Self.html(
            SSOPages.login(request: authorization, clientName: client.name, csrf: csrf, login: login, message: message, askTOTP: askTOTP),
            status: status)
        response.setCookie(Cookie(name: Self.csrfCookie, value: csrf, path: "/sso", secure: secureCookies, httpOnly: true, sameSite: .strict))
        return response
    }

    /// A browser's `Origin` on the login POST must be the hub's own (the issuer's, or the address it was reached at).
    private func originAllowed(_ request: Request) -> Bool {
        guard let origin = request.headers[.origin] else { return true }
        var allowed: Set<String> = []
        if let url = URL(string: sso.issuer), let scheme = url.scheme, let host = url.host {
            allowed.insert("\(scheme)://\(host)" + (url.port.map { ":\($0)" } ?? ""))
        }
        if let authority = request.head.authority { allowed.insert((hub.configuration.usesTLS ? "https://" : "http://") + authority) }
        return allowed.contains(origin)
    }

    /// Cookies are `Secure` when the hub serves TLS or its issuer is https (behind a TLS proxy).
    var secureCookies: Bool { hub.configuration.usesTLS || sso.issuer.hasPrefix("https://") }
}
