import Foundation
import LGSPAPI
import LGSPClient
import LGSPCore
import LGSPTesting
import Testing

/// The smart directory on a live hub (Article 5.7): Vietnamese search with and without diacritics
/// and with abbreviations, over HTTP and from the CLI; a packet addressed to a merged unit's former
/// code reaches its successor and the source is told; a mistyped code is refused with suggestions.
@Suite("Smart directory", .serialized)
struct DirectoryTests {
    @Test("searching finds units by name with or without diacritics, by abbreviation and by code prefix; the CLI prints the same")
    func search() async throws {
        let hub = try await HubProcess.start()
        defer { hub.shutdown() }
        let scenario = try await Scenario.make(hub)
        let admin = scenario.admin
        _ = try await admin.addUnit(code: "000.00.05.H24", name: "Sở Thông tin và Truyền thông", parent: "000.00.00.H24")
        _ = try await admin.addUnit(code: "000.00.33.H24", name: "Ủy ban nhân dân Phường Hải An", parent: "000.00.00.H24")
        let app = scenario.client(scenario.first)

        for query in ["Sở Tài chính", "so tai chinh", "SỞ TÀI CHÍNH", "sở tai chinh"] {
            let found = try await app.searchUnits(query)
            #expect(found.items.first?.unit.code.rawValue == Scenario.sourceUnit, "\(query) → \(found.items.map(\.unit.name))")
        }
        #expect(try await app.searchUnits("phuong hai duong").items.first?.unit.code.rawValue == Scenario.firstUnit)
        #expect(try await app.searchUnits("Sở TT&TT").items.first?.unit.code.rawValue == "000.00.05.H24")
        #expect(try await app.searchUnits("UBND Hải An").items.first?.unit.code.rawValue == "000.00.33.H24")
        let byPrefix = try await app.searchUnits("000.00.3")
        #expect(Set(byPrefix.items.map(\.unit.code.rawValue)).isSuperset(of: [Scenario.firstUnit, Scenario.secondUnit, "000.00.33.H24"]))
        #expect(try await app.searchUnits("không có đơn vị nào như thế").items.isEmpty)

        let cli = try await CLITests.lgsp(["unit", "search", "so tai chinh", "--json", "--url", hub.url, "--data", hub.dataPath])
        #expect(cli.status == 0, "\(cli.stderr)")
        let page = try APICoding.makeDecoder().decode(UnitSearchResponse.self, from: cli.stdout)
        #expect(page.items.first?.unit.name == "Sở Tài chính")
    }

    @Test("a packet sent to a merged unit's former code reaches the successor, and the packet says it was redirected")
    func mergedUnitRedirect() async throws {
        let hub = try await HubProcess.start()
        defer { hub.shutdown() }
        let scenario = try await Scenario.make(hub)
        let admin = scenario.admin
        // Phường Lê Thanh Nghị is merged into Phường Hải Dương (the 2025 reorganisation).
        _ = try await admin.addUnit(code: "000.00.34.H24", name: "Ủy ban nhân dân Phường Lê Thanh Nghị", parent: "000.00.00.H24")
        let replaced = try await admin.replaceUnit("000.00.34.H24", by: [Scenario.firstUnit], reason: "merge", effective: "2025-07-01")
        #expect(replaced.status == .inactive)
        #expect(try await admin.searchUnits("Lê Thanh Nghị").items.first?.unit.code.rawValue == "000.00.34.H24", "former units stay findable")

        let sender = scenario.client(scenario.source)
        let sent = try await sender.send(to: ["000.00.34.H24"], subject: "Gửi đơn vị cũ", dataType: "edoc", data: Data("cũ".utf8))
        let packet = try await sender.packet(sent.id)
        #expect(packet.deliveries.map(\.recipient.rawValue) == [Scenario.firstUnit])
        let redirect = try #require(packet.redirects?.first, "the source is told the recipient was redirected")
        #expect(redirect.from.rawValue == "000.00.34.H24" && redirect.to.rawValue == Scenario.firstUnit)
        #expect(redirect.reason.rawValue == "merge")
        #expect(try await scenario.client(scenario.first).inbox().map(\.id) == [sent.id])

        // A code nobody has: refused, with the nearest codes suggested.
        let refusal = await #expect(throws: LGSPClientError.self) {
            _ = try await sender.send(to: ["000.00.39.H24"], subject: "Sai mã", dataType: "edoc", data: Data("x".utf8))
        }
        #expect(refusal?.code == .unknownRecipient)
        if case .problem(let status, let problem)? = refusal {
            #expect(status == 422)
            #expect(problem.details?["suggestions"]?.contains(Scenario.firstUnit) == true, "\(problem)")
        }
    }
}
