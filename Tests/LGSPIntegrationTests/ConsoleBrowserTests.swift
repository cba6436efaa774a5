import Foundation
import LGSPTesting
import Testing

/// The console in a real browser: Debian's headless Chromium driven by PyPI selenium signs in through
/// the SSO's form, sees the dashboard, opens a packet's timeline, switches to English and back, and
/// signs out. Screenshots go to `$LGSP_TEST_ARTEFACTS/console` (default `.build/test-artefacts/console`).
@Suite("Web console in a browser", .serialized)
struct ConsoleBrowserTests {
    static var artefacts: String {
        (ProcessInfo.processInfo.environment["LGSP_TEST_ARTEFACTS"] ?? PackageRoot.path + "/.build/test-artefacts") + "/console"
    }

    /// Chromium and its driver, or nil (a failure when `LGSP_REQUIRE_INTEROP=1`, a skip otherwise).
    static func requireChromium() -> Bool {
        let found = FileManager.default.isExecutableFile(atPath: "/usr/bin/chromedriver")
            && (ExternalTools.which("chromium") != nil || ExternalTools.which("chromium-browser") != nil)
        if !found {
            if ExternalTools.interopRequired {
                Issue.record("chromium and chromium-driver are missing although LGSP_REQUIRE_INTEROP=1 (make test-deps)")
            } else {
                print("skipping the console browser test: install chromium and chromium-driver")
            }
        }
        return found
    }

    @Test("selenium + headless Chromium: sign in through the SSO, dashboard, packet timeline, English and back, sign out")
    func browser() async throws {
        guard try InteropTests.requirePython(), Self.requireChromium() else { return }
        let setup = try await ConsoleScenario.make()
        defer { setup.hub.shutdown() }
        try? FileManager.default.removeItem(atPath: Self.artefacts)
        let configuration: [String: Any] = [
            "url": setup.hub.url, "username": ConsoleScenario.admin.login, "password": ConsoleScenario.admin.password,
            "packetId": setup.toFirst.id.description, "secret": "NỘI-DUNG-MẬT", "artefacts": Self.artefacts,
        ]
        let path = setup.hub.data.path + "/console_browser.json"
        try JSONSerialization.data(withJSONObject: configuration).write(to: URL(fileURLWithPath: path))
        let result = try await ExternalTools.python(script: "console_browser.py", [path])
        #expect(result.status == 0, "\(result.stderr)")
        let checks = try #require(try JSONSerialization.jsonObject(with: result.stdout) as? [String: Any], "\(result.text) \(result.stderr)")
        print("console browser test checked: \(result.text)")
        #expect(checks["error"] == nil, "\(checks["error"] ?? "") at \(checks["url"] ?? "")")
        #expect(checks["loginPage"] as? Bool == true)
        #expect(checks["dashboard"] as? Bool == true)
        #expect(checks["dashboardVietnamese"] as? Bool == true)
        #expect((checks["signedInAs"] as? String)?.contains("Nguyễn Văn Quản") == true)
        #expect((checks["timelineEntries"] as? Int ?? 0) >= 5)
        #expect((checks["timelineStates"] as? [String])?.contains("Đã nhận") == true)
        #expect(checks["contentShown"] as? Bool == false)
        #expect(checks["english"] as? Bool == true)
        #expect(checks["vietnameseAgain"] as? Bool == true)
        #expect(checks["signedOut"] as? Bool == true)
        let screenshots = checks["screenshots"] as? [String] ?? []
        #expect(screenshots.count == 6)
        for file in screenshots {
            let size = (try? FileManager.default.attributesOfItem(atPath: file)[.size] as? Int) ?? 0
            #expect(size > 1000, "\(file) is a real PNG")
        }
    }
}
