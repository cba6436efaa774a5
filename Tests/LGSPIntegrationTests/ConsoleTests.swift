import Foundation
import LGSPAPI
import LGSPCore
import LGSPTesting
import Testing

/// The web console over plain HTTP against a live hub: sign-in through the hub's own SSO, Vietnamese
/// by default and English on request, CSRF, server-side authorisation of a unit officer, the packet
/// timeline (never content), form validation, reports and the audit trail of console actions.
@Suite("Web console", .serialized)
struct ConsoleTests {
    @Test("signing in goes through the SSO (PKCE S256) and opens the Vietnamese dashboard; sign-out ends the session server-side")
    func signInAndOut() async throws {
        let setup = try await ConsoleScenario.make()
        defer { setup.hub.shutdown() }
        let browser = ConsoleBrowser(url: setup.hub.url)

        let start = try await browser.get("/console/")
        #expect(start.status == 303)
        let authorize = try #require(start.location)
        #expect(authorize.hasPrefix("/sso/authorize?"))
        for part in ["client_id=lgsp-console", "code_challenge_method=S256", "response_type=code", "redirect_uri=\(ConsoleBrowser.encode(setup.hub.url + "/console/callback"))"] {
            #expect(authorize.contains(part), "\(part) in \(authorize)")
        }
        let loginCookie = try #require(start.setCookie("lgsp_console_login"))
        #expect(loginCookie.contains("HttpOnly") && loginCookie.contains("SameSite=Lax") && !loginCookie.contains("Secure"))

        let hops = try await browser.signIn(username: ConsoleScenario.admin.login, password: ConsoleScenario.admin.password)
        #expect(hops.login.status == 302 || hops.login.status == 303, "\(hops.login.status) \(hops.login.text.prefix(300))")
        #expect(hops.callback.status == 303)
        let session = try #require(hops.callback.setCookie("lgsp_console"))
        #expect(session.contains("HttpOnly") && session.contains("SameSite=Lax") && session.contains("Path=/console") && session.contains("Max-Age="))
        #expect(hops.landing.status == 200)
        let dashboard = hops.landing.text
        #expect(dashboard.contains("<html lang=\"vi\">"))
        for text in ["Bảng điều khiển", "Đăng xuất", "Đơn vị", "Gói tin", "Ứng dụng", "Nhật ký kiểm toán", "không có liên kết", "Nguyễn Văn Quản"] {
            #expect(dashboard.contains(text), "dashboard shows \(text)")
        }
        #expect(hops.landing.headers.first(name: "content-security-policy")?.contains("frame-ancestors 'none'") == true)

        // The code was redeemed: the same callback again is refused (the sign-in cookie is gone too).
        let replay = try await browser.get(try #require(hops.login.location))
        #expect(replay.status == 400)

        // A cookie that was altered is no session.
        let forged = ConsoleBrowser(url: setup.hub.url)
        let forgedPage = try await forged.send("GET", "/console/units", headers: [("cookie", "lgsp_console=x" + (browser.cookies["lgsp_console"] ?? "").dropFirst())])
        #expect(forgedPage.status == 303 && forgedPage.location?.hasPrefix("/sso/authorize") == true)

        // Sign out: through the SSO's end-session endpoint, back to the console, which asks to sign in again.
        let oldSession = try #require(browser.cookies["lgsp_console"])
        let csrf = try #require(ConsoleBrowser.csrf(dashboard))
        let logout = try await browser.post("/console/logout", form: [("_csrf", csrf)])
        #expect(logout.status == 303)
        #expect(logout.location?.hasPrefix("/sso/logout?client_id=lgsp-console&post_logout_redirect_uri=") == true)
        #expect(browser.cookies["lgsp_console"] == nil)
        let back = try await browser.get(try #require(logout.location))
        #expect((300..<400).contains(back.status) && back.location == setup.hub.url + "/console/", "\(back.status) \(back.location ?? "")")
        let again = try await browser.get("/console/")
        #expect(again.status == 303 && again.location?.hasPrefix("/sso/authorize") == true)
        // The old cookie is worthless now: its SSO session ended.
        let stale = ConsoleBrowser(url: setup.hub.url)
        let stalePage = try await stale.send("GET", "/console/", headers: [("cookie", "lgsp_console=\(oldSession)")])
        #expect(stalePage.status == 303 && stalePage.location?.hasPrefix("/sso/authorize") == true)
    }

    @Test("the language switch sets a cookie, returns to the page, and refuses to leave the console")
    func languageSwitch() async throws {
        let setup = try await ConsoleScenario.make()
        defer { setup.hub.shutdown() }
        let browser = try await setup.browser(ConsoleScenario.operatorUser)
        let vietnamese = try await browser.get("/console/packets")
        #expect(vietnamese.text.contains("Gói tin") && vietnamese.text.contains("Trích yếu"))
        #expect(vietnamese.text.contains("href=\"/console/lang?to=en&amp;back=%2Fconsole%2Fpackets\""))

        let switched = try await browser.get("/console/lang?to=en&back=%2Fconsole%2Fpackets")
        #expect(switched.status == 303 && switched.location == "/console/packets")
        #expect(switched.setCookie("lang")?.contains("lang=en") == true)
        let english = try await browser.get("/console/")
        #expect(english.text.contains("<html lang=\"en\">"))
        for text in ["Dashboard", "Sign out", "Units", "Packets", "Audit log", "no link"] { #expect(english.text.contains(text), "\(text)") }
        #expect(!english.text.contains("Đăng xuất"))

        for hostile in ["https%3A%2F%2Fevil.example%2F", "%2F%2Fevil.example%2Fconsole", "%2Fconsole%5C..%5Cx", "%2Fsso%2Flogout"] {
            let page = try await browser.get("/console/lang?to=vi&back=\(hostile)")
            #expect(page.location == "/console/", "back=\(hostile) → \(page.location ?? "")")
        }
        #expect(try await browser.get("/console/lang?to=fr&back=%2Fconsole%2F").status == 400)
        let back = try await browser.get("/console/")
        #expect(back.text.contains("Bảng điều khiển"))
    }

    @Test("a form without the session's CSRF token is refused with 403 and changes nothing")
    func csrf() async throws {
        let setup = try await ConsoleScenario.make()
        defer { setup.hub.shutdown() }
        let browser = try await setup.browser(ConsoleScenario.admin)
        let form = try await browser.get("/console/units/new")
        #expect(form.status == 200)
        let token = try #require(ConsoleBrowser.csrf(form.text))
        let fields = [("code", "000.00.40.H24"), ("name", "Sở Khoa học và Công nghệ"), ("parent", "000.00.00.H24")]

        let missing = try await browser.post("/console/units", form: fields)
        #expect(missing.status == 403)
        #expect(missing.text.contains("CSRF"))
        let wrong = try await browser.post("/console/units", form: fields + [("_csrf", String(token.reversed()))])
        #expect(wrong.status == 403)
        #expect(try await browser.get("/console/units/000.00.40.H24").status == 404, "nothing was created")

        // Another official's token does not fit this session either.
        let other = try await setup.browser(ConsoleScenario.operatorUser)
        let otherToken = try #require(ConsoleBrowser.csrf(try await other.get("/console/").text))
        #expect(try await browser.post("/console/units", form: fields + [("_csrf", otherToken)]).status == 403)

        let created = try await browser.post("/console/units", form: fields + [("_csrf", token)])
        #expect(created.status == 303 && created.location == "/console/units/000.00.40.H24")
        let unit = try await browser.get("/console/units/000.00.40.H24")
        #expect(unit.status == 200 && unit.text.contains("Sở Khoa học và Công nghệ"))

        let audit = try await browser.get("/console/audit?action=console.")
        #expect(audit.text.contains("console.csrf_refused"))
        #expect(audit.text.contains("console.units.create") && audit.text.contains("official:quantri"))
    }

    @Test("forms and filters validate with clear messages in the official's language")
    func validation() async throws {
        let setup = try await ConsoleScenario.make()
        defer { setup.hub.shutdown() }
        let browser = try await setup.browser(ConsoleScenario.admin)
        let token = try #require(ConsoleBrowser.csrf(try await browser.get("/console/units/new").text))

        let bad = try await browser.post("/console/units", form: [("_csrf", token), ("code", "00.00.31.H24"), ("name", "  "), ("parent", "khong-phai-ma")])
        #expect(bad.status == 422)
        #expect(bad.text.contains("Mã định danh «00.00.31.H24» không hợp lệ"))
        #expect(bad.text.contains("Tên là bắt buộc."))
        #expect(bad.text.contains("Mã đơn vị cấp trên «khong-phai-ma» không hợp lệ."))
        #expect(bad.text.contains("value=\"00.00.31.H24\""), "what was typed is kept")

        let duplicate = try await browser.post("/console/units", form: [("_csrf", token), ("code", Scenario.firstUnit), ("name", "Trùng mã")])
        #expect(duplicate.status == 422)
        #expect(duplicate.text.contains(Scenario.firstUnit))

        let hostile = try await browser.post("/console/units", form: [("_csrf", token), ("code", "<script>alert(1)</script>"), ("name", "x")])
        #expect(hostile.status == 422)
        #expect(!hostile.text.contains("<script>alert(1)</script>") && hostile.text.contains("&lt;script&gt;"), "input is escaped")

        let filter = try await browser.get("/console/packets?from=02-12-2026&state=bogus")
        #expect(filter.status == 400)
        #expect(filter.text.contains("phải có dạng năm-tháng-ngày"))
        #expect(filter.text.contains("Trạng thái «bogus» không tồn tại."))

        _ = try await browser.get("/console/lang?to=en&back=%2Fconsole%2F")
        let english = try await browser.post("/console/units", form: [("_csrf", token), ("name", "Không mã")])
        #expect(english.status == 422 && english.text.contains("The unit code is required."))

        let sso = try await browser.post("/console/sso-clients", form: [("_csrf", token), ("name", "Một cửa"), ("redirectUri", "javascript:alert(1)")])
        #expect(sso.status == 422 && sso.text.contains("must be an absolute http(s) URI"))
        let registered = try await browser.post(
            "/console/sso-clients", form: [("_csrf", token), ("name", "Hệ thống một cửa"), ("redirectUri", "https://motcua.example.vn/callback")])
        #expect(registered.status == 201 && registered.text.contains("client_secret") && registered.text.contains("Hệ thống một cửa"))
    }

    @Test("a unit officer of one ward opens that ward's pages and gets 403 on another's, checked on every request")
    func unitOfficerIsolation() async throws {
        let setup = try await ConsoleScenario.make()
        defer { setup.hub.shutdown() }
        let browser = try await setup.browser(ConsoleScenario.officer)
        let own = Scenario.firstUnit
        let other = Scenario.secondUnit
        let scenario = setup.scenario

        let allowed = [
            "/console/", "/console/units/\(own)", "/console/packets/\(setup.toFirst.id)", "/console/packets", "/console/reports",
            "/console/reports?unit=\(own)", "/console/apps/\(scenario.first.accessKey)", "/console/connections", "/console/apps",
            "/console/reports.csv",
        ]
        for path in allowed {
            let page = try await browser.get(path)
            #expect(page.status == 200, "\(path) → \(page.status) \(page.text.prefix(200))")
        }
        let refused = [
            "/console/units/\(other)", "/console/packets/\(setup.toSecond.id)", "/console/reports?unit=\(other)", "/console/reports.csv?unit=\(other)",
            "/console/apps/\(scenario.second.accessKey)", "/console/apps/\(scenario.source.accessKey)", "/console/connections?unit=\(other)",
            "/console/packets?unit=\(other)", "/console/apps?unit=\(other)", "/console/units", "/console/audit", "/console/grants",
            "/console/sso-clients", "/console/incidents",
        ]
        for path in refused {
            let page = try await browser.get(path)
            #expect(page.status == 403, "\(path) → \(page.status)")
            #expect(page.text.contains("Không có quyền truy cập"), "\(path): a 403 page, not a redirect")
        }
        let packets = try await browser.get("/console/packets")
        #expect(packets.text.contains(setup.toFirst.id.description) && !packets.text.contains(setup.toSecond.id.description))

        let token = try #require(ConsoleBrowser.csrf(packets.text))
        let disable = try await browser.post("/console/apps/\(scenario.first.accessKey)/disable", form: [("_csrf", token)])
        #expect(disable.status == 403, "an officer may not change apps, even their own unit's")
        let addUnit = try await browser.post("/console/units", form: [("_csrf", token), ("code", "000.00.41.H24"), ("name", "Thử")])
        #expect(addUnit.status == 403)

        let admin = try await setup.browser(ConsoleScenario.admin)
        let audit = try await admin.get("/console/audit?action=console.forbidden&actor=canbo")
        #expect(audit.text.contains("console.forbidden") && audit.text.contains("/console/units/\(other)"))
        #expect(try await admin.get("/console/units/\(other)").status == 200)

        // Article 7.1: the administrator gives the other ward its own account from the console.
        let unitPage = try await admin.get("/console/units/\(other)")
        let adminToken = try #require(ConsoleBrowser.csrf(unitPage.text))
        let short = try await admin.post("/console/units/\(other)/officials", form: [("_csrf", adminToken), ("login", "canbo.thanhdong"), ("password", "ngan")])
        #expect(short.status == 422 && short.text.contains("Mật khẩu phải có ít nhất 8 ký tự."))
        let created = try await admin.post(
            "/console/units/\(other)/officials",
            form: [("_csrf", adminToken), ("login", "canbo.thanhdong"), ("officerName", "Phạm Thị Đông"), ("password", "Mật-khẩu-Thành-Đông")])
        #expect(created.status == 303)
        #expect(try await admin.get("/console/units/\(other)").text.contains("canbo.thanhdong"))
        let second = try await setup.browser((login: "canbo.thanhdong", password: "Mật-khẩu-Thành-Đông"))
        #expect(try await second.get("/console/units/\(other)").status == 200)
        #expect(try await second.get("/console/packets/\(setup.toSecond.id)").status == 200)
        #expect(try await second.get("/console/units/\(own)").status == 403)
        #expect(try await second.get("/console/packets/\(setup.toFirst.id)").status == 403)
    }

    @Test("a packet's timeline shows its metadata, deliveries and every state change with who made it, never the content")
    func packetTimeline() async throws {
        let setup = try await ConsoleScenario.make()
        defer { setup.hub.shutdown() }
        let browser = try await setup.browser(ConsoleScenario.admin)
        let page = try await browser.get("/console/packets/\(setup.toFirst.id)")
        #expect(page.status == 200)
        let html = page.text
        #expect(html.contains("Công văn số 12/STC-NS"))
        #expect(html.contains(ContentDigest.of(ConsoleScenario.secretContent).hex), "the digest is metadata")
        let entries = html.components(separatedBy: "class=\"history-entry\"").count - 1
        #expect(entries >= 5, "created, uploaded, ready, accepted, delivered: \(entries)")
        for state in ["Đã tạo", "Đã tải lên", "Đã tiếp nhận", "Đã nhận"] { #expect(html.contains(state), "\(state)") }
        #expect(html.contains("Quản lý văn bản STC (\(setup.scenario.source.accessKey))"), "the source app created it")
        #expect(html.contains("Một cửa Hải Dương (\(setup.scenario.first.accessKey))"), "the destination app accepted it")
        #expect(!html.contains("NỘI-DUNG-MẬT") && !html.contains(ConsoleScenario.secretContent.base64EncodedString()))
        #expect(try await browser.get("/console/packets/\(setup.toFirst.id)/content").status == 404, "no content route")
        #expect(try await browser.get("/console/packets/not-a-packet").status == 400)

        let list = try await browser.get("/console/packets?unit=\(Scenario.firstUnit)&state=delivered&dataType=edoc")
        #expect(list.text.contains(setup.toFirst.id.description) && !list.text.contains(setup.toSecond.id.description))
        let inTransit = try await browser.get("/console/packets?state=in_transit")
        #expect(inTransit.text.contains(setup.toSecond.id.description) && !inTransit.text.contains(setup.toFirst.id.description))
    }

    @Test("reports draw SVG charts and export the API's CSV; the dashboard counts today's deliveries")
    func reportsAndDashboard() async throws {
        let setup = try await ConsoleScenario.make()
        defer { setup.hub.shutdown() }
        let browser = try await setup.browser(ConsoleScenario.operatorUser)
        let reports = try await browser.get("/console/reports")
        #expect(reports.status == 200)
        #expect(reports.text.contains("<svg") && reports.text.contains("class=\"bar\""))
        #expect(reports.text.contains(Scenario.sourceUnit))
        let csv = try await browser.get("/console/reports.csv?unit=\(Scenario.sourceUnit)")
        #expect(csv.status == 200 && csv.headers.first(name: "content-type")?.hasPrefix("text/csv") == true)
        #expect(csv.text.hasPrefix(UnitReportCSV.header.joined(separator: ",")))
        #expect(csv.text.contains(Scenario.sourceUnit))
        let tooLong = try await browser.get("/console/reports?from=2026-01-01&to=2026-06-01")
        #expect(tooLong.status == 400 && tooLong.text.contains("31"))

        let dashboard = try await browser.get("/console/")
        // One delivery delivered today, one still open.
        #expect(dashboard.text.range(of: #"<th>Nhận về</th><td>1</td><td>1</td>"#, options: .regularExpression) != nil, "\(dashboard.text)")
    }

    @Test("both string catalogues have the same keys")
    func catalogues() throws {
        let folder = PackageRoot.path + "/Sources/LGSPServer/Resources/console/strings/"
        let vi = try JSONDecoder().decode([String: String].self, from: Data(contentsOf: URL(fileURLWithPath: folder + "vi.json")))
        let en = try JSONDecoder().decode([String: String].self, from: Data(contentsOf: URL(fileURLWithPath: folder + "en.json")))
        #expect(Set(vi.keys) == Set(en.keys), "only in vi: \(Set(vi.keys).subtracting(en.keys)); only in en: \(Set(en.keys).subtracting(vi.keys))")
        #expect(vi["nav_audit"] == "Nhật ký kiểm toán" && vi["nav_logout"] == "Đăng xuất")
    }
}
