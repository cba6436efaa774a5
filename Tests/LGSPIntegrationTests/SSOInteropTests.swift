import Foundation
import LGSPTesting
import Testing

/// The SSO against a relying party we did not write: PyPI `authlib` (with `requests` posting the login form)
/// completes authorization code + PKCE against a live hub, validates the id token with the hub's JWKS,
/// calls userinfo, and logs out through the end-session endpoint; a back-channel logout token reaches its
/// loopback listener. Wrong password, replayed code, wrong redirect URI and lockout are refused.
@Suite("SSO interop (authlib)", .serialized)
struct SSOInteropTests {
    @Test("authlib signs in with code + PKCE, validates the id token, calls userinfo and logs out; refusals hold")
    func authlibRelyingParty() async throws {
        guard try InteropTests.requirePython() else { return }
        let hub = try await HubProcess.start()
        defer { hub.shutdown() }
        let admin = try hub.adminClient()
        _ = try await admin.addUnit(code: "000.00.00.H24", name: "Ủy ban nhân dân thành phố Hải Phòng")
        _ = try await admin.addUnit(code: "000.00.31.H24", name: "Ủy ban nhân dân Phường Hải Dương", parent: "000.00.00.H24")
        // The official is registered with the CLI, the password on standard input.
        let added = try await ExternalTools.run(
            HubProcess.binaryPath, ["user", "add", "--login", "nguyen.van.an", "--name", "Nguyễn Văn An", "--role", "unit-officer", "--unit", "000.00.31.H24",
             "--password-stdin", "--url", hub.url, "--data", hub.dataPath],
            input: Data("Mật-khẩu-đủ-dài-2025\n".utf8))
        #expect(added.status == 0, "\(added.stderr)")
        _ = try await admin.addOfficial(login: "khoa.thu", roles: ["operator"], password: "dung-mat-khau-nay")

        let results = try await SignatureInterop.run("sso_authlib_flow.py", hub, configuration: [
            "url": hub.url, "binary": HubProcess.binaryPath, "data": hub.dataPath,
            "username": "nguyen.van.an", "password": "Mật-khẩu-đủ-dài-2025", "lockUser": "khoa.thu", "lockPassword": "dung-mat-khau-nay",
        ])
        #expect(results["cliError"] == nil, "\(results["cliError"] ?? "")")
        let registered = try #require(results["registered"] as? [String: Any])
        let clientID = try #require(registered["clientId"] as? String)
        #expect(registered["hasSecret"] as? Bool == true)
        #expect(registered["discovery"] as? String == hub.url + "/.well-known/openid-configuration")
        let discovery = try #require(results["discovery"] as? [String: Any])
        #expect(discovery["issuer"] as? String == hub.url)
        #expect(discovery["code_challenge_methods_supported"] as? [String] == ["S256"])
        #expect(discovery["backchannel_logout_supported"] as? Bool == true)

        let page = try #require(results["loginPage"] as? [String: Any])
        #expect(page["status"] as? Int == 200 && page["vietnamese"] as? Bool == true && page["fields"] as? Bool == true)
        let login = try #require(results["login"] as? [String: Any])
        #expect(login["status"] as? Int == 303)
        for check in ["toRedirectURI", "hasCode", "stateMatches", "iss", "ssoCookie"] { #expect(login[check] as? Bool == true, "login: \(check)") }

        let idToken = try #require(results["idToken"] as? [String: Any])
        #expect(idToken["valid"] as? Bool == true && idToken["alg"] as? String == "ES256")
        #expect(idToken["nonce"] as? Bool == true && idToken["iss"] as? Bool == true && idToken["auth_time"] as? Bool == true)
        #expect(idToken["aud"] as? [String] == [clientID] || idToken["aud"] as? String == clientID)
        #expect(idToken["preferred_username"] as? String == "nguyen.van.an")
        #expect(idToken["name"] as? String == "Nguyễn Văn An")
        #expect(idToken["roles"] as? [String] == ["unit-officer"])
        #expect(idToken["unit_code"] as? String == "000.00.31.H24")
        #expect((idToken["sid"] as? String)?.isEmpty == false)

        let userinfo = try #require(results["userinfo"] as? [String: Any])
        #expect(userinfo["status"] as? Int == 200)
        #expect(userinfo["sub"] as? String == idToken["sub"] as? String)
        #expect(userinfo["preferred_username"] as? String == "nguyen.van.an" && userinfo["unit_code"] as? String == "000.00.31.H24")
        #expect(userinfo["roles"] as? [String] == ["unit-officer"])

        let silent = try #require(results["silent"] as? [String: Any])
        #expect(silent["status"] as? Int == 302 && silent["hasCode"] as? Bool == true, "the SSO session answers without the form")
        #expect(results["secondUserinfo"] as? Int == 200)
        let replay = try #require(results["replay"] as? [String: Any])
        #expect(replay["status"] as? Int == 400 && replay["error"] as? String == "invalid_grant")
        #expect(results["afterReplayUserinfo"] as? Int == 401, "tokens issued from a replayed code are revoked")

        let wrongRedirect = try #require(results["wrongRedirect"] as? [String: Any])
        #expect(wrongRedirect["status"] as? Int == 400 && wrongRedirect["location"] is NSNull && wrongRedirect["errorPage"] as? Bool == true)
        let tokenWrongRedirect = try #require(results["tokenWrongRedirect"] as? [String: Any])
        #expect(tokenWrongRedirect["status"] as? Int == 400 && tokenWrongRedirect["error"] as? String == "invalid_grant")

        let wrongPassword = try #require(results["wrongPassword"] as? [String: Any])
        #expect(wrongPassword["status"] as? Int == 401 && wrongPassword["location"] is NSNull)
        #expect(wrongPassword["message"] as? Bool == true && wrongPassword["formAgain"] as? Bool == true)
        let lockout = try #require(results["lockout"] as? [String: Any])
        #expect(lockout["attempts"] as? [Int] == [401, 401, 401, 401, 403])
        #expect(lockout["status"] as? Int == 403 && lockout["location"] is NSNull && lockout["message"] as? Bool == true)

        let badLogout = try #require(results["badLogout"] as? [String: Any])
        #expect(badLogout["status"] as? Int == 400 && badLogout["location"] is NSNull)
        let logout = try #require(results["logout"] as? [String: Any])
        #expect(logout["status"] as? Int == 302)
        #expect((logout["location"] as? String)?.hasSuffix("/logged-out?state=da-dang-xuat") == true, "\(logout)")
        let backchannel = try #require(results["backchannel"] as? [String: Any], "no back-channel logout token arrived")
        #expect(backchannel["path"] as? String == "/backchannel" && backchannel["count"] as? Int == 1)
        #expect((backchannel["contentType"] as? String)?.hasPrefix("application/x-www-form-urlencoded") == true)
        for check in ["iss", "sid", "sub", "event", "noNonce", "hasJti"] { #expect(backchannel[check] as? Bool == true, "logout token: \(check)") }
        #expect(backchannel["aud"] as? [String] == [clientID] || backchannel["aud"] as? String == clientID)
        #expect(results["afterLogoutUserinfo"] as? Int == 401, "the session's tokens stop working at logout")
        let after = try #require(results["afterLogoutAuthorize"] as? [String: Any])
        #expect(after["status"] as? Int == 200 && after["form"] as? Bool == true, "after logout the login form is shown again")
    }
}
