import Foundation
import LGSPAPI
import LGSPClient
import LGSPCore
import LGSPTesting
import Testing

/// The incident log (Article 15.6) on a live hub: open → actions → resolve, every step an audit
/// entry that the incident points to (and that names the incident), and the refusals.
@Suite("Incident log", .serialized)
struct IncidentTests {
    @Test("open, note, resolve: each step is an audit entry linked both ways, and the chain still verifies")
    func lifecycleWithAudit() async throws {
        let hub = try await HubProcess.start()
        defer { hub.shutdown() }
        let admin = try hub.adminClient()
        let actor = "admin:\(try hub.admin.accessKey)"

        let opened = try await admin.openIncident(title: "Mất kết nối tới Sở Tài chính", severity: "major", text: "Các gói tin tới 000.00.02.H24 bị treo")
        #expect(opened.status == "open" && opened.severity == "major" && opened.openedBy == actor)
        #expect(opened.actions.map(\.kind) == ["opened"])
        #expect(opened.actions.first?.text == "Các gói tin tới 000.00.02.H24 bị treo")
        #expect(opened.actions.first?.auditSequence != nil)

        let noted = try await admin.addIncidentAction(id: opened.id, text: "Khởi động lại kết nối VPN")
        #expect(noted.actions.map(\.kind) == ["opened", "note"])
        let resolved = try await admin.resolveIncident(id: opened.id, resolution: "Đường truyền đã ổn định lại")
        #expect(resolved.status == "resolved" && resolved.resolvedBy == actor && resolved.resolution == "Đường truyền đã ổn định lại")
        #expect(resolved.actions.map(\.kind) == ["opened", "note", "resolved"])

        // The incident points to its audit entries, and each entry names the incident.
        let shown = try await admin.incident(id: opened.id)
        let sequences = shown.actions.compactMap(\.auditSequence)
        #expect(sequences.count == 3 && sequences == sequences.sorted())
        let linked = try #require(shown.audit)
        #expect(linked.map(\.sequence) == sequences)
        #expect(linked.map(\.action) == ["incident.opened", "incident.action", "incident.resolved"])
        #expect(linked.allSatisfy { $0.target.hasPrefix("incident \(opened.id):") && $0.actor == actor && $0.outcome == "ok" })
        #expect(linked[1].target.contains("Khởi động lại kết nối VPN"))

        // The same entries are in the exported log (with the admin request that caused them, same request id).
        let exported = try await admin.auditEntries(from: nil, to: nil).items
        for entry in linked {
            let stored = try #require(exported.first { $0.sequence == entry.sequence })
            #expect(stored.hash == entry.hash && stored.target == entry.target)
            #expect(exported.contains { $0.action.hasPrefix("admin.incidents") && $0.requestId == stored.requestId && !$0.requestId.isEmpty })
        }
        let verify = try await CLITests.lgsp(["audit", "verify", "--data", hub.dataPath])
        #expect(verify.status == 0, "\(verify.stderr)")

        #expect(try await admin.incidents(openOnly: true).isEmpty)
        let second = try await admin.openIncident(title: "Chậm", severity: "minor")
        #expect(second.id == opened.id + 1)
        #expect(try await admin.incidents().map(\.id) == [second.id, opened.id], "newest first")
        #expect(try await admin.incidents(openOnly: true).map(\.id) == [second.id])
    }

    @Test("refusals: unknown incident, resolved incident, bad severity, empty text, not an administrator")
    func refusals() async throws {
        let hub = try await HubProcess.start()
        defer { hub.shutdown() }
        let scenario = try await Scenario.make(hub)
        let raw = RawClient(url: hub.url)
        let asAdmin = RawClient.Signing.sigV4(accessKey: try hub.admin.accessKey, secretKey: try hub.admin.secretKey)
        func post(_ path: String, _ body: [String: Any], as signing: RawClient.Signing? = nil) async throws -> RawClient.Response {
            try await raw.send(
                "POST", path, headers: [("content-type", "application/json")], body: try JSONSerialization.data(withJSONObject: body),
                signing: signing ?? asAdmin)
        }
        func expect(_ response: RawClient.Response, _ status: Int, _ code: String, sourceLocation: SourceLocation = #_sourceLocation) {
            #expect(response.status == status, "\(response.text)", sourceLocation: sourceLocation)
            #expect(response.problem?.code == code, "\(response.text)", sourceLocation: sourceLocation)
        }
        expect(try await post("/v1/admin/incidents", ["title": "X", "severity": "apocalyptic"]), 400, "request.invalid_field")
        expect(try await post("/v1/admin/incidents", ["title": "", "severity": "minor"]), 400, "request.missing_field")
        expect(try await post("/v1/admin/incidents", ["severity": "minor"]), 400, "request.missing_field")
        expect(
            try await post("/v1/admin/incidents", ["title": "X", "severity": "minor"], as: .sigV4(accessKey: scenario.first.accessKey, secretKey: scenario.first.secretKey)),
            403, "auth.forbidden")
        expect(try await post("/v1/admin/incidents/41/actions", ["text": "?"]), 404, "operations.unknown_incident")
        expect(try await raw.send("GET", "/v1/admin/incidents/41", signing: asAdmin), 404, "operations.unknown_incident")
        expect(try await raw.send("GET", "/v1/admin/incidents/abc", signing: asAdmin), 400, "request.invalid_field")

        let incident = try await scenario.admin.openIncident(title: "Lỗi ký số", severity: "critical")
        expect(try await post("/v1/admin/incidents/\(incident.id)/actions", ["text": "   "]), 400, "request.missing_field")
        expect(try await post("/v1/admin/incidents/\(incident.id)/resolve", [:]), 400, "request.missing_field")
        _ = try await scenario.admin.resolveIncident(id: incident.id, resolution: "Đã thay chứng thư")
        expect(try await post("/v1/admin/incidents/\(incident.id)/resolve", ["resolution": "lần nữa"]), 409, "operations.incident_resolved")
        expect(try await post("/v1/admin/incidents/\(incident.id)/actions", ["text": "muộn"]), 409, "operations.incident_resolved")
        // Refused steps changed nothing.
        #expect(try await scenario.admin.incident(id: incident.id).actions.count == 2)
    }
}
