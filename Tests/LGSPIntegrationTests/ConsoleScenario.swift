import Foundation
import LGSPAPI
import LGSPClient
import LGSPCore
import LGSPTesting

/// A hub with the `Scenario` directory, an administrator, an operator and a unit officer of the first
/// ward (created with `lgsp user add`), and one packet to each ward from the finance department.
struct ConsoleScenario {
    let hub: HubProcess
    let scenario: Scenario
    /// To the first ward (the officer's unit), delivered and acknowledged.
    let toFirst: PacketCreatedResponse
    /// To the second ward (not the officer's).
    let toSecond: PacketCreatedResponse

    static let admin = (login: "quantri", password: "Mật-khẩu-quản-trị-1")
    static let operatorUser = (login: "vanhanh", password: "Mật-khẩu-vận-hành-2")
    static let officer = (login: "canbo.haiduong", password: "Mật-khẩu-cán-bộ-3")
    /// Content that must never appear in a console page.
    static let secretContent = Data("NỘI-DUNG-MẬT: quyết định số 99/QĐ-UBND".utf8)

    static func make() async throws -> ConsoleScenario {
        let hub = try await HubProcess.start()
        do {
            let scenario = try await Scenario.make(hub)
            try await addOfficial(hub, admin.login, "Nguyễn Văn Quản", role: "admin", password: admin.password)
            try await addOfficial(hub, operatorUser.login, "Trần Thị Vận", role: "operator", password: operatorUser.password)
            try await addOfficial(hub, officer.login, "Lê Văn Cán", role: "unit-officer", unit: Scenario.firstUnit, password: officer.password)
            let source = scenario.client(scenario.source)
            let toFirst = try await source.send(to: [Scenario.firstUnit], subject: "Công văn số 12/STC-NS", dataType: "edoc", data: secretContent)
            let receiver = scenario.client(scenario.first)
            _ = try await receiver.accept(toFirst.id)
            let received = try await receiver.download(toFirst.id)
            _ = try await receiver.acknowledge(toFirst.id, sha256: ContentDigest.of(received).hex)
            let toSecond = try await source.send(to: [Scenario.secondUnit], subject: "Giấy mời họp Thành Đông", dataType: "edoc", data: Data("họp".utf8))
            return ConsoleScenario(hub: hub, scenario: scenario, toFirst: toFirst, toSecond: toSecond)
        } catch {
            hub.shutdown()
            throw error
        }
    }

    /// `lgsp user add --login L --role R [--unit C] --password-stdin`.
    static func addOfficial(_ hub: HubProcess, _ login: String, _ name: String, role: String, unit: String? = nil, password: String) async throws {
        var arguments = ["user", "add", "--login", login, "--name", name, "--role", role, "--password-stdin", "--url", hub.url, "--data", hub.dataPath]
        if let unit { arguments += ["--unit", unit] }
        let result = try await ExternalTools.run(HubProcess.binaryPath, arguments, input: Data(password.utf8))
        guard result.status == 0 else { throw HubProcessError(message: "lgsp user add \(login) failed: \(result.stderr) \(result.text)") }
    }

    /// A browser signed in as `user`.
    func browser(_ user: (login: String, password: String)) async throws -> ConsoleBrowser {
        let browser = ConsoleBrowser(url: hub.url)
        let hops = try await browser.signIn(username: user.login, password: user.password)
        guard hops.landing.status == 200 else {
            throw HubProcessError(message: "sign-in of \(user.login) ended with \(hops.landing.status): \(hops.landing.text.prefix(500))")
        }
        return browser
    }
}
