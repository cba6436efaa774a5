import Foundation
import JWTKit
import LGSPAPI
import LGSPAuth
import LGSPCore
import LGSPTesting
import Logging
import Testing

@testable import LGSPServer

/// The SSO (Article 11) over real HTTP with our own client: discovery, the login form, code + PKCE, the
/// token endpoint's refusals, userinfo, end-session; the CLI registers officials and clients; the
/// console's in-process redemption.
@Suite("SSO (OpenID Connect provider)", .serialized)
struct SSOTests {
    static let password = "Mật-khẩu-đủ-dài-2025"

    /// A PKCE pair (RFC 7636 S256): a verifier and BASE64URL(SHA256(verifier)).
    static func pkce() -> (verifier: String, challenge: String) {
        let verifier = SSOService.randomToken() + "-x"
        let hex = ContentDigest.of(Data(verifier.utf8)).hex
        var bytes = [UInt8]()
        var index = hex.startIndex
        while index < hex.endIndex {
            let next = hex.index(index, offsetBy: 2)
            bytes.append(UInt8(hex[index..<next], radix: 16)!)
            index = next
        }
        return (verifier, base64url(Data(bytes)))
    }

    static func base64url(_ data: Data) -> String {
        data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    static func query(_ location: String?) -> [String: String] {
        guard let location, let components = URLComponents(string: location) else { return [:] }
        return Dictionary((components.queryItems ?? []).map { ($0.name, $0.value ?? "") }) { first, _ in first }
    }

    static func json(_ page: ConsoleBrowser.Page) -> [String: Any] {
        (try? JSONSerialization.jsonObject(with: page.body) as? [String: Any]) ?? [:]
    }

    /// `/sso/authorize?…` for `client` with PKCE S256.
    static func authorizeURL(client: String, redirect: String, challenge: String?, method: String = "S256", state: String = "trang-thai", nonce: String = "so-dung-mot-lan") -> String {
        var items = [
            URLQueryItem(name: "response_type", value: "code"), URLQueryItem(name: "client_id", value: client),
            URLQueryItem(name: "redirect_uri", value: redirect), URLQueryItem(name: "scope", value: "openid profile"),
            URLQueryItem(name: "state", value: state), URLQueryItem(name: "nonce", value: nonce),
        ]
        if let challenge {
            items += [URLQueryItem(name: "code_challenge", value: challenge), URLQueryItem(name: "code_challenge_method", value: method)]
        }
        var components = URLComponents(string: "/sso/authorize")!
        components.queryItems = items
        return components.percentEncodedQuery.map { "/sso/authorize?" + $0.replacingOccurrences(of: "+", with: "%2B") } ?? "/sso/authorize"
    }

    /// Opens the login page and posts `username`/`password` (and `totp`) with its hidden fields.
    static func signIn(_ browser: ConsoleBrowser, _ url: String, username: String, password: String, totp: String? = nil) async throws -> (form: ConsoleBrowser.Page, answer: ConsoleBrowser.Page) {
        let form = try await browser.get(url)
        var fields = ConsoleBrowser.hiddenInputs(form.text)
        fields += [("username", username), ("password", password)]
        if let totp { fields.append(("totp", totp)) }
        return (form, try await browser.post("/sso/authorize", form: fields))
    }

    /// A hub with a unit, an official and a registered client (through the CLI); returns the client's registration.
    static func prepare(_ hub: HubProcess, redirect: String = "http://127.0.0.1:9/cb") async throws -> CreatedSSOClientResponse {
        let admin = try hub.adminClient()
        _ = try await admin.addUnit(code: "000.00.00.H24", name: "Ủy ban nhân dân thành phố Hải Phòng")
        _ = try await admin.addUnit(code: "000.00.31.H24", name: "Ủy ban nhân dân Phường Hải Dương", parent: "000.00.00.H24")
        let common = ["--url", hub.url, "--data", hub.dataPath]
        let user = try await ExternalTools.run(
            HubProcess.binaryPath,
            ["user", "add", "--login", "tran.thi.binh", "--name", "Trần Thị Bình", "--role", "unit-officer", "--unit", "000.00.31.H24", "--password-stdin"]
                + common, input: Data((password + "\n").utf8))
        #expect(user.status == 0, "\(user.stderr)")
        let client = try await ExternalTools.run(
            HubProcess.binaryPath,
            ["sso", "client", "add", "--name", "Quản lý văn bản", "--redirect-uri", redirect, "--logout-uri", "http://127.0.0.1:9/bye", "--json"] + common)
        #expect(client.status == 0, "\(client.stderr)")
        return try APICoding.makeDecoder().decode(CreatedSSOClientResponse.self, from: client.stdout)
    }

    @Test("the CLI registers; discovery, login form, code + PKCE, client_secret_post, a JWKS-verified id token, userinfo, logout")
    func fullFlow() async throws {
        let hub = try await HubProcess.start()
        defer { hub.shutdown() }
        let registered = try await Self.prepare(hub)
        #expect(registered.clientId.hasPrefix("lgsp-app-") && registered.clientSecret.count >= 40)
        #expect(registered.endpoints.issuer == hub.url && registered.endpoints.discovery == hub.url + "/.well-known/openid-configuration")
        let listed = try await hub.adminClient().officials()
        #expect(listed.map(\.login) == ["tran.thi.binh"] && listed.first?.unit?.rawValue == "000.00.31.H24")

        let browser = ConsoleBrowser(url: hub.url)
        let discovery = Self.json(try await browser.get("/.well-known/openid-configuration"))
        #expect(discovery["issuer"] as? String == hub.url)
        #expect(discovery["authorization_endpoint"] as? String == hub.url + "/sso/authorize")
        #expect(discovery["end_session_endpoint"] as? String == hub.url + "/sso/logout")
        #expect(discovery["code_challenge_methods_supported"] as? [String] == ["S256"])
        let jwks = try await browser.get("/sso/jwks")
        #expect(jwks.status == 200)

        let (verifier, challenge) = Self.pkce()
        let (form, answer) = try await Self.signIn(
            browser, Self.authorizeURL(client: registered.clientId, redirect: "http://127.0.0.1:9/cb", challenge: challenge),
            username: "tran.thi.binh", password: Self.password)
        #expect(form.status == 200 && form.text.contains("<h1>Đăng nhập</h1>") && form.text.contains("Quản lý văn bản"))
        #expect(form.setCookie("lgsp_sso_csrf")?.contains("HttpOnly") == true && form.setCookie("lgsp_sso_csrf")?.contains("SameSite=Strict") == true)
        #expect(answer.status == 303, "\(answer.text)")
        let params = Self.query(answer.location)
        #expect(answer.location?.hasPrefix("http://127.0.0.1:9/cb?") == true && params["state"] == "trang-thai" && params["iss"] == hub.url)
        let cookie = try #require(answer.setCookie("lgsp_sso"))
        #expect(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax") && cookie.contains("Path=/sso") && !cookie.contains("Secure"))
        let code = try #require(params["code"])

        let token = try await browser.post("/sso/token", form: [
            ("grant_type", "authorization_code"), ("code", code), ("redirect_uri", "http://127.0.0.1:9/cb"), ("code_verifier", verifier),
            ("client_id", registered.clientId), ("client_secret", registered.clientSecret),
        ])
        #expect(token.status == 200, "\(token.text)")
        #expect(token.headers.first(name: "cache-control") == "no-store")
        let tokens = Self.json(token)
        #expect(tokens["token_type"] as? String == "Bearer")
        let idToken = try #require(tokens["id_token"] as? String)
        let accessToken = try #require(tokens["access_token"] as? String)

        // The id token verifies with nothing but the published JWKS.
        let keys = JWTKeyCollection()
        try await keys.add(jwksJSON: jwks.text)
        let claims = try await keys.verify(idToken, as: IDTokenClaims.self)
        #expect(claims.iss.value == hub.url && claims.aud.value == [registered.clientId] && claims.nonce == "so-dung-mot-lan")
        #expect(claims.preferredUsername == "tran.thi.binh" && claims.name == "Trần Thị Bình" && claims.roles == ["unit-officer"])
        #expect(claims.unitCode == "000.00.31.H24" && !claims.sid.isEmpty && claims.authTime > 0)
        #expect(claims.sub.value == listed.first?.id)
        // An access token is not an id token and the other way round.
        await #expect(throws: (any Error).self) { _ = try await keys.verify(accessToken, as: IDTokenClaims.self) }

        let userinfo = try await browser.get("/sso/userinfo", headers: [("authorization", "Bearer " + accessToken)])
        #expect(userinfo.status == 200, "\(userinfo.text)")
        #expect(Self.json(userinfo)["preferred_username"] as? String == "tran.thi.binh")
        #expect(Self.json(userinfo)["roles"] as? [String] == ["unit-officer"])
        let withIDToken = try await browser.get("/sso/userinfo", headers: [("authorization", "Bearer " + idToken)])
        #expect(withIDToken.status == 401 && withIDToken.headers.first(name: "www-authenticate")?.contains("invalid_token") == true)

        // End-session without an address: the signed-out page, the cookie cleared, the tokens dead.
        let logout = try await browser.get("/sso/logout?id_token_hint=\(idToken)")
        #expect(logout.status == 200 && logout.text.contains("Đã đăng xuất"))
        #expect(browser.cookies["lgsp_sso"] == nil)
        #expect(try await browser.get("/sso/userinfo", headers: [("authorization", "Bearer " + accessToken)]).status == 401)
    }

    @Test("PKCE S256 is required and checked; client authentication, grant type and redirect URI are enforced")
    func refusals() async throws {
        let hub = try await HubProcess.start()
        defer { hub.shutdown() }
        let registered = try await Self.prepare(hub)
        let browser = ConsoleBrowser(url: hub.url)
        let redirect = "http://127.0.0.1:9/cb"

        // Errors about the request go back to the (registered) redirect URI with the state.
        let noPKCE = try await browser.get(Self.authorizeURL(client: registered.clientId, redirect: redirect, challenge: nil))
        #expect(noPKCE.status == 302 && Self.query(noPKCE.location)["error"] == "invalid_request" && Self.query(noPKCE.location)["state"] == "trang-thai")
        let plain = try await browser.get(Self.authorizeURL(client: registered.clientId, redirect: redirect, challenge: Self.pkce().challenge, method: "plain"))
        #expect(Self.query(plain.location)["error"] == "invalid_request")
        // A wrong client or redirect URI is an error page, never a redirect.
        for url in [
            Self.authorizeURL(client: "lgsp-app-khongco", redirect: redirect, challenge: Self.pkce().challenge),
            Self.authorizeURL(client: registered.clientId, redirect: "http://127.0.0.1:9/cb/khac", challenge: Self.pkce().challenge),
        ] {
            let page = try await browser.get(url)
            #expect(page.status == 400 && page.location == nil && page.text.contains("không hợp lệ"), "\(url)")
        }

        // The console's built-in client is known with its own callback only.
        let consoleForm = try await browser.get(Self.authorizeURL(client: "lgsp-console", redirect: hub.url + "/console/callback", challenge: Self.pkce().challenge))
        #expect(consoleForm.status == 200 && consoleForm.text.contains("name=\"password\""))
        let consoleElsewhere = try await browser.get(Self.authorizeURL(client: "lgsp-console", redirect: "http://127.0.0.1:9/cb", challenge: Self.pkce().challenge))
        #expect(consoleElsewhere.status == 400 && consoleElsewhere.location == nil)

        func code(_ challenge: String) async throws -> String {
            let url = Self.authorizeURL(client: registered.clientId, redirect: redirect, challenge: challenge)
            let answer = browser.cookies["lgsp_sso"] == nil
                ? try await Self.signIn(browser, url, username: "tran.thi.binh", password: Self.password).answer : try await browser.get(url)
            return try #require(Self.query(answer.location)["code"], "\(answer.status) \(answer.text)")
        }
        func exchange(_ code: String, verifier: String, redirect: String = redirect, secret: String? = nil, basic: Bool = true,
                      grant: String = "authorization_code") async throws -> ConsoleBrowser.Page {
            var form = [("grant_type", grant), ("code", code), ("redirect_uri", redirect), ("code_verifier", verifier)]
            var headers = [("content-type", "application/x-www-form-urlencoded")]
            if basic {
                headers.append(("authorization", "Basic " + Data("\(registered.clientId):\(secret ?? registered.clientSecret)".utf8).base64EncodedString()))
            } else {
                form += [("client_id", registered.clientId), ("client_secret", secret ?? registered.clientSecret)]
            }
            let body = form.map { "\(ConsoleBrowser.encode($0.0))=\(ConsoleBrowser.encode($0.1))" }.joined(separator: "&")
            return try await browser.send("POST", "/sso/token", headers: headers, body: Data(body.utf8))
        }

        // A wrong verifier burns the code: the right one afterwards is refused too.
        let pair = Self.pkce()
        let burnt = try await code(pair.challenge)
        let wrongVerifier = try await exchange(burnt, verifier: Self.pkce().verifier)
        #expect(wrongVerifier.status == 400 && Self.json(wrongVerifier)["error"] as? String == "invalid_grant", "\(wrongVerifier.text)")
        #expect((Self.json(wrongVerifier)["error_description"] as? String)?.contains("code_verifier") == true)
        #expect(Self.json(try await exchange(burnt, verifier: pair.verifier))["error"] as? String == "invalid_grant")

        let fresh = Self.pkce()
        let good = try await code(fresh.challenge)
        let badSecret = try await exchange(good, verifier: fresh.verifier, secret: "sai-bi-mat")
        #expect(badSecret.status == 401 && Self.json(badSecret)["error"] as? String == "invalid_client")
        #expect(badSecret.headers.first(name: "www-authenticate")?.hasPrefix("Basic") == true)
        let badGrant = try await exchange(good, verifier: fresh.verifier, grant: "password")
        #expect(badGrant.status == 400 && Self.json(badGrant)["error"] as? String == "unsupported_grant_type")
        let tooShort = try await exchange(good, verifier: "ngan")
        #expect(Self.json(tooShort)["error"] as? String == "invalid_request")
        // The checks above did not consume the code; client_secret_post redeems it once.
        let redeemed = try await exchange(good, verifier: fresh.verifier, basic: false)
        #expect(redeemed.status == 200, "\(redeemed.text)")
        #expect(Self.json(try await exchange(good, verifier: fresh.verifier))["error"] as? String == "invalid_grant")

        // Userinfo needs a valid bearer token.
        let missing = try await browser.get("/sso/userinfo")
        #expect(missing.status == 401 && missing.headers.first(name: "www-authenticate")?.hasPrefix("Bearer") == true)
        #expect(try await browser.get("/sso/userinfo", headers: [("authorization", "Bearer khong.phai.token")]).status == 401)
    }

    @Test("the login form: CSRF token required, TOTP second factor, disabled officials, lockout after the configured failures")
    func loginForm() async throws {
        let hub = try await HubProcess.start(environment: ["LGSP_SSO_LOCKOUT_ATTEMPTS": "3"])
        defer { hub.shutdown() }
        let registered = try await Self.prepare(hub)
        let admin = try hub.adminClient()
        let url = Self.authorizeURL(client: registered.clientId, redirect: "http://127.0.0.1:9/cb", challenge: Self.pkce().challenge)

        // Without the CSRF cookie (a cross-site post) the form is refused and nothing is checked.
        let forged = ConsoleBrowser(url: hub.url)
        let page = try await forged.get(url)
        let fields = ConsoleBrowser.hiddenInputs(page.text) + [("username", "tran.thi.binh"), ("password", Self.password)]
        let stranger = ConsoleBrowser(url: hub.url)
        let refused = try await stranger.post("/sso/authorize", form: fields)
        #expect(refused.status == 403 && refused.location == nil && refused.text.contains("hết hạn"))
        let otherOrigin = try await forged.send(
            "POST", "/sso/authorize", headers: [("content-type", "application/x-www-form-urlencoded"), ("origin", "http://evil.example")],
            body: Data(fields.map { "\(ConsoleBrowser.encode($0.0))=\(ConsoleBrowser.encode($0.1))" }.joined(separator: "&").utf8))
        #expect(otherOrigin.status == 403 && otherOrigin.location == nil)

        // TOTP: the password alone asks for the code; a wrong code is refused; the right one signs in.
        let created = try await admin.addOfficial(login: "pham.van.cuong", roles: ["admin"], password: Self.password, totp: true)
        let secret = try #require(created.totpSecret)
        #expect(created.totpURI?.hasPrefix("otpauth://totp/LGSP:pham.van.cuong?secret=\(secret)") == true)
        let second = ConsoleBrowser(url: hub.url)
        let asked = try await Self.signIn(second, url, username: "pham.van.cuong", password: Self.password).answer
        #expect(asked.status == 200 && asked.location == nil && asked.text.contains("name=\"totp\""))
        let wrong = try await Self.signIn(second, url, username: "pham.van.cuong", password: Self.password, totp: "000000").answer
        #expect(wrong.status == 401 || TOTP.code(key: Base32.decode(secret)!, at: Date()) == "000000")
        let right = try await Self.signIn(
            second, url, username: "pham.van.cuong", password: Self.password, totp: TOTP.code(key: try #require(Base32.decode(secret)), at: Date())).answer
        #expect(right.status == 303 && Self.query(right.location)["code"] != nil, "\(right.text)")

        // A disabled official is refused with its own message.
        _ = try await admin.setOfficialDisabled(login: "tran.thi.binh", true)
        let disabled = try await Self.signIn(ConsoleBrowser(url: hub.url), url, username: "tran.thi.binh", password: Self.password).answer
        #expect(disabled.status == 403 && disabled.text.contains("vô hiệu hóa"))
        _ = try await admin.setOfficialDisabled(login: "tran.thi.binh", false)

        // Unknown logins and wrong passwords get the same answer; the third failure locks the account.
        let browser = ConsoleBrowser(url: hub.url)
        let unknown = try await Self.signIn(browser, url, username: "khong.ton.tai", password: Self.password).answer
        #expect(unknown.status == 401 && unknown.text.contains("Tên đăng nhập hoặc mật khẩu không đúng"))
        var statuses: [Int] = []
        for _ in 0..<3 { statuses.append(try await Self.signIn(browser, url, username: "tran.thi.binh", password: "sai-mat-khau").answer.status) }
        #expect(statuses == [401, 401, 403])
        let locked = try await Self.signIn(browser, url, username: "tran.thi.binh", password: Self.password).answer
        #expect(locked.status == 403 && locked.location == nil && locked.text.contains("tạm thời bị khóa"))
        #expect(try await admin.officials().first { $0.login == "tran.thi.binh" }?.lockedUntil != nil)

        // Sign-ins, lockouts and registrations are in the audit log, never a password.
        let entries = try await admin.auditEntries(from: nil, to: nil).items
        #expect(entries.contains { $0.action == "sso.login" && $0.actor == "official:pham.van.cuong" && $0.outcome == "ok" })
        #expect(entries.contains { $0.action == "sso.login" && $0.actor == "official:tran.thi.binh" && $0.outcome == "sso.wrong_credentials" })
        #expect(entries.contains { $0.action == "sso.lockout" && $0.actor == "official:tran.thi.binh" })
        #expect(entries.contains { $0.action == "admin.officials.create" && $0.target.contains("login=pham.van.cuong") && $0.target.contains("roles=admin") })
        #expect(!entries.contains { $0.target.contains(Self.password) })
    }

    @Test("the console's built-in client redeems in process: once, with the right verifier, in time, not after its session ended; lockouts end")
    func consoleClient() async throws {
        let folder = try TemporaryFolder("lgsp-sso-inprocess")
        defer { folder.remove() }
        var configuration = HubConfiguration()
        configuration.dataDirectory = folder.path + "/data"
        configuration.transformDirectory = folder.path
        configuration.sso.passwordCost = 10
        let clock = ManualClock()
        let (hub, _) = try await Hub.open(configuration, clock: clock, logger: Logger(label: "sso-test"))
        defer { Task { try? await hub.providers.shutdown() } }
        let sso = hub.sso
        #expect(sso.issuer == "http://127.0.0.1:8080")
        sso.bind(port: 18080)
        let issuer = "http://127.0.0.1:18080"
        #expect(sso.issuer == issuer)
        let console = try #require(try await sso.client(id: SSOService.consoleClientID))
        #expect(console.redirectURIs == [issuer + "/console/callback"] && console.postLogoutRedirectURIs == [issuer + "/console/"])

        _ = try await sso.addOfficial(login: "le.van.dung", name: "Lê Văn Dũng", roles: [.operator], unit: nil, password: Self.password, totp: false)
        guard case .success(let official) = try await sso.authenticate(login: "le.van.dung", password: Self.password, totp: nil) else {
            Issue.record("the official could not sign in")
            return
        }
        let (session, _) = try await sso.startSession(for: official)
        let pair = Self.pkce()
        let request = AuthorizationRequest([
            "client_id": SSOService.consoleClientID, "redirect_uri": issuer + "/console/callback", "response_type": "code", "scope": "openid",
            "code_challenge": pair.challenge, "code_challenge_method": "S256", "nonce": "n",
        ])
        #expect(request.checkParameters() == nil)
        let code = try await sso.issueCode(for: request, session: session)
        await #expect(throws: LGSPError.self) {
            _ = try await sso.redeem(code: code, clientID: SSOService.consoleClientID, redirectURI: issuer + "/console/callback", codeVerifier: Self.pkce().verifier)
        }
        let again = try await sso.issueCode(for: request, session: session)
        let identity = try await sso.redeem(code: again, clientID: SSOService.consoleClientID, redirectURI: issuer + "/console/callback", codeVerifier: pair.verifier)
        #expect(identity == SSOIdentity(subject: official.id, login: "le.van.dung", name: "Lê Văn Dũng", roles: [.operator], unit: nil, sessionID: session.id))
        do {
            _ = try await sso.redeem(code: again, clientID: SSOService.consoleClientID, redirectURI: issuer + "/console/callback", codeVerifier: pair.verifier)
            Issue.record("a code was redeemed twice")
        } catch let error as LGSPError {
            #expect(error.code == .invalidGrant && error.message.contains("already used"))
        }
        do {
            _ = try await sso.redeem(code: "x", clientID: "lgsp-app-khongco", redirectURI: issuer, codeVerifier: pair.verifier)
            Issue.record("an unknown client redeemed")
        } catch let error as LGSPError {
            #expect(error.code == .unknownSSOClient)
        }
        // A code is good for `sso.codeSeconds` (60) only.
        let late = try await sso.issueCode(for: request, session: session)
        clock.advance(by: 61)
        do {
            _ = try await sso.redeem(code: late, clientID: SSOService.consoleClientID, redirectURI: issuer + "/console/callback", codeVerifier: pair.verifier)
            Issue.record("an expired code was redeemed")
        } catch let error as LGSPError {
            #expect(error.code == .invalidGrant && error.message.contains("expired"))
        }
        // The lockout lasts `sso.lockoutMinutes` (15), then the right password works again.
        for _ in 0..<4 { #expect(try await sso.authenticate(login: "le.van.dung", password: "sai", totp: nil) == .wrongCredentials) }
        guard case .locked = try await sso.authenticate(login: "le.van.dung", password: "sai", totp: nil) else {
            Issue.record("the fifth failure did not lock")
            return
        }
        clock.advance(by: 14 * 60)
        guard case .locked = try await sso.authenticate(login: "le.van.dung", password: Self.password, totp: nil) else {
            Issue.record("the lockout ended early")
            return
        }
        clock.advance(by: 61)
        guard case .success = try await sso.authenticate(login: "le.van.dung", password: Self.password, totp: nil) else {
            Issue.record("the lockout did not end after 15 minutes")
            return
        }

        // Ending the session (the console's logout) makes the session's codes unusable.
        let last = try await sso.issueCode(for: request, session: session)
        #expect(try await sso.endSession(id: session.id)?.endedAt != nil)
        await #expect(throws: LGSPError.self) {
            _ = try await sso.redeem(code: last, clientID: SSOService.consoleClientID, redirectURI: issuer + "/console/callback", codeVerifier: pair.verifier)
        }
    }
}
