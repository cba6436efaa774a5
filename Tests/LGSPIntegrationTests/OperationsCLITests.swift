import Foundation
import LGSPAPI
import LGSPTesting
import Testing

/// `lgsp maintenance …` and `lgsp incident …` against a live hub, with the administrator credential from `--data`.
@Suite("Command line: maintenance and incidents", .serialized)
struct OperationsCLITests {
    @Test("maintenance announce, list and cancel; incident open, note, show, resolve, list; refusals exit non-zero with the code")
    func maintenanceAndIncidents() async throws {
        let hub = try await HubProcess.start()
        defer { hub.shutdown() }
        let common = ["--url", hub.url, "--data", hub.dataPath]
        let start = Date().addingTimeInterval(3600)

        let announced = try await CLITests.lgsp(
            ["maintenance", "announce", "--title", "Nâng cấp", "--message", "Tạm dừng 30 phút", "--message-en", "A 30-minute pause",
             "--start", start.isoMillis, "--end", start.addingTimeInterval(1800).isoMillis, "--service", "soap", "--json"] + common)
        #expect(announced.status == 0, "\(announced.stderr)")
        let window = try APICoding.makeDecoder().decode(MaintenanceBody.self, from: announced.stdout)
        #expect(window.title == "Nâng cấp" && window.services == ["soap"] && window.phase == .upcoming)

        let listed = try await CLITests.lgsp(["maintenance", "list"] + common)
        #expect(listed.text.contains(window.id) && listed.text.contains("upcoming") && listed.text.contains("Nâng cấp"))
        let backwards = try await CLITests.lgsp(
            ["maintenance", "announce", "--title", "Sai", "--message", "Sai", "--start", start.isoMillis, "--end", start.addingTimeInterval(-1).isoMillis] + common)
        #expect(backwards.status != 0)
        #expect(backwards.stderr.contains("operations.invalid_window"), "\(backwards.stderr)")
        let badDate = try await CLITests.lgsp(["maintenance", "announce", "--title", "T", "--message", "M", "--start", "mai", "--end", "kia"] + common)
        #expect(badDate.status != 0 && badDate.stderr.contains("--start"))

        #expect(try await CLITests.lgsp(["maintenance", "cancel", window.id, "--reason", "Hoãn"] + common).status == 0)
        let again = try await CLITests.lgsp(["maintenance", "cancel", window.id] + common)
        #expect(again.status != 0 && again.stderr.contains("operations.maintenance_closed"), "\(again.stderr)")
        let all = try await CLITests.lgsp(["maintenance", "list", "--all", "--json"] + common)
        #expect(try APICoding.makeDecoder().decode(MaintenanceListResponse.self, from: all.stdout).items.map(\.phase) == [.cancelled])

        let opened = try await CLITests.lgsp(["incident", "open", "--title", "Mạng chậm", "--severity", "minor", "--json"] + common)
        #expect(opened.status == 0, "\(opened.stderr)")
        let incident = try APICoding.makeDecoder().decode(IncidentBody.self, from: opened.stdout)
        #expect(try await CLITests.lgsp(["incident", "note", String(incident.id), "Đã báo nhà mạng"] + common).status == 0)
        let shown = try await CLITests.lgsp(["incident", "show", String(incident.id)] + common)
        #expect(shown.text.contains("Đã báo nhà mạng") && shown.text.contains("incident.action"), "\(shown.text)")
        #expect(try await CLITests.lgsp(["incident", "resolve", String(incident.id), "--resolution", "Nhà mạng đã sửa"] + common).status == 0)
        let resolvedAgain = try await CLITests.lgsp(["incident", "resolve", String(incident.id), "--resolution", "?"] + common)
        #expect(resolvedAgain.status != 0 && resolvedAgain.stderr.contains("operations.incident_resolved"))
        let list = try await CLITests.lgsp(["incident", "list", "--json"] + common)
        let items = try APICoding.makeDecoder().decode(IncidentListResponse.self, from: list.stdout).items
        #expect(items.map(\.status) == ["resolved"] && items.first?.actions.count == 3)
        let open = try await CLITests.lgsp(["incident", "list", "--open"] + common)
        #expect(!open.text.contains("Mạng chậm"))
        let unknown = try await CLITests.lgsp(["incident", "show", "404"] + common)
        #expect(unknown.status != 0 && unknown.stderr.contains("operations.unknown_incident"))
    }
}
