import Foundation
import LGSPAPI
import LGSPClient
import LGSPCore
import LGSPTesting
import Testing

/// Planned maintenance (Article 13) on a live hub: an administrator announces a window; an app
/// streaming over Server-Sent Events hears `hub.maintenance` at once, an app that was away finds it
/// when it resumes; windows are listed, changed and cancelled; bad windows are refused with stable codes.
@Suite("Maintenance notices", .serialized)
struct MaintenanceTests {
    static let options = EventStreamOptions(initialDelay: .milliseconds(100), maximumDelay: .milliseconds(500), idleTimeout: .seconds(5))

    static func window(_ title: String = "Nâng cấp cơ sở dữ liệu", startsIn: TimeInterval = 3600, lasts: TimeInterval = 7200) -> MaintenanceRequest {
        MaintenanceRequest(
            title: title, message: "Hệ thống tạm dừng để nâng cấp; các gói tin gửi trong thời gian này sẽ được chuyển sau.",
            messageEn: "The hub pauses for an upgrade; packets sent meanwhile are delivered afterwards.",
            startsAt: Date().addingTimeInterval(startsIn), endsAt: Date().addingTimeInterval(startsIn + lasts), services: ["soap"],
            units: [Scenario.firstUnit])
    }

    static func maintenance(_ event: StreamEvent) throws -> EventPayload.Maintenance {
        try event.decode(EventPayload.Maintenance.self)
    }

    @Test("an app streaming over SSE hears hub.maintenance at once; an app that was away finds it when it resumes", .timeLimit(.minutes(2)))
    func announcedToEveryApp() async throws {
        let hub = try await HubProcess.start(environment: ["LGSP_REALTIME_HEARTBEAT_SECONDS": "1"])
        defer { hub.shutdown() }
        let scenario = try await Scenario.make(hub)

        // The second app saw the stream once, then went away: it knows where it stopped.
        let before = StreamRecorder(scenario.client(scenario.second).events(options: Self.options))
        try await before.wait("the second app's snapshot") { $0.snapshots.count == 1 }
        let stoppedAt = try #require(before.snapshots.first?.lastEventId)
        before.cancel()

        let online = StreamRecorder(scenario.client(scenario.first).events(options: Self.options))
        defer { online.cancel() }
        try await online.wait("the first app's snapshot") { $0.snapshots.count == 1 }

        let announced = try await scenario.admin.announceMaintenance(Self.window())
        #expect(announced.phase == .upcoming)
        #expect(announced.units == [try UnitCode(strict: Scenario.firstUnit)])
        try await online.wait("hub.maintenance", timeout: .seconds(10)) { $0.events.contains { $0.type == "hub.maintenance" } }
        let heard = try #require(online.events.first { $0.kind == .hubMaintenance })
        let notice = try Self.maintenance(heard)
        #expect(notice.change == "announced")
        #expect(notice.id == announced.id)
        #expect(notice.title == "Nâng cấp cơ sở dữ liệu")
        #expect(notice.messageEn?.hasPrefix("The hub pauses") == true)
        #expect(notice.startsAt == announced.startsAt && notice.endsAt == announced.endsAt)

        // Every app got it, also the source app that is not connected (webhooks and later streams read it).
        let resumed = StreamRecorder(scenario.client(scenario.second).events(lastEventID: stoppedAt, options: Self.options))
        defer { resumed.cancel() }
        try await resumed.wait("the missed hub.maintenance on resume", timeout: .seconds(10)) { $0.events.contains { $0.type == "hub.maintenance" } }
        #expect(try Self.maintenance(try #require(resumed.events.first { $0.kind == .hubMaintenance })).id == announced.id)

        // Any app can read what is under way or to come.
        let current = try await scenario.client(scenario.source).currentMaintenance()
        #expect(current.map(\.id) == [announced.id])

        // A change and a cancellation are events too.
        var changed = Self.window("Nâng cấp cơ sở dữ liệu (dời lịch)", startsIn: 7200)
        changed.units = nil
        let updated = try await scenario.admin.updateMaintenance(id: announced.id, changed)
        #expect(updated.title.hasSuffix("(dời lịch)") && updated.units.isEmpty && updated.updatedAt != nil)
        _ = try await scenario.admin.cancelMaintenance(id: announced.id, reason: "Hoãn nâng cấp")
        try await online.wait("updated and cancelled", timeout: .seconds(10)) { $0.events.filter { $0.type == "hub.maintenance" }.count == 3 }
        let changes = try online.events.filter { $0.kind == .hubMaintenance }.map { try Self.maintenance($0) }
        #expect(changes.map(\.change) == ["announced", "updated", "cancelled"])
        #expect(changes.last?.cancelReason == "Hoãn nâng cấp")
        #expect(try await scenario.client(scenario.source).currentMaintenance().isEmpty)
    }

    @Test("windows are listed, cancelled once, and bad ones refused with stable codes")
    func listCancelAndRefusals() async throws {
        let hub = try await HubProcess.start()
        defer { hub.shutdown() }
        let scenario = try await Scenario.make(hub)
        let admin = scenario.admin
        let later = try await admin.announceMaintenance(Self.window("Sau", startsIn: 86400))
        let sooner = try await admin.announceMaintenance(Self.window("Trước", startsIn: 600))
        #expect(try await admin.maintenanceWindows().map(\.id) == [sooner.id, later.id], "soonest first")

        let cancelled = try await admin.cancelMaintenance(id: later.id)
        let adminKey = try hub.admin.accessKey
        #expect(cancelled.phase == .cancelled && cancelled.cancelledBy == "admin:\(adminKey)")
        #expect(try await admin.maintenanceWindows().map(\.id) == [sooner.id])
        #expect(try await admin.maintenanceWindows(all: true).map(\.id) == [sooner.id, later.id])

        let raw = RawClient(url: hub.url)
        let asAdmin = RawClient.Signing.sigV4(accessKey: try hub.admin.accessKey, secretKey: try hub.admin.secretKey)
        func post(_ body: Any, as signing: RawClient.Signing? = nil) async throws -> RawClient.Response {
            try await raw.send(
                "POST", "/v1/admin/maintenance", headers: [("content-type", "application/json")],
                body: try JSONSerialization.data(withJSONObject: body), signing: signing ?? asAdmin)
        }
        let start = Date().addingTimeInterval(3600)
        func body(_ changes: [String: Any] = [:]) -> [String: Any] {
            var body: [String: Any] = [
                "title": "Bảo trì", "message": "Tạm dừng", "startsAt": start.isoMillis, "endsAt": start.addingTimeInterval(600).isoMillis,
            ]
            body.merge(changes) { $1 }
            return body
        }
        func expect(_ response: RawClient.Response, _ status: Int, _ code: String, field: String? = nil, sourceLocation: SourceLocation = #_sourceLocation) {
            #expect(response.status == status, "\(response.text)", sourceLocation: sourceLocation)
            #expect(response.problem?.code == code, "\(response.text)", sourceLocation: sourceLocation)
            if let field { #expect(response.problem?.field == field, "\(response.text)", sourceLocation: sourceLocation) }
        }
        expect(try await post(body(["endsAt": start.addingTimeInterval(-60).isoMillis])), 400, "operations.invalid_window", field: "endsAt")
        expect(try await post(body(["endsAt": start.isoMillis])), 400, "operations.invalid_window")
        expect(
            try await post(body(["startsAt": Date().addingTimeInterval(-7200).isoMillis, "endsAt": Date().addingTimeInterval(-3600).isoMillis])), 400,
            "operations.invalid_window")
        expect(try await post(body(["endsAt": start.addingTimeInterval(40 * 86400).isoMillis])), 400, "operations.invalid_window")
        expect(try await post(body(["title": "  "])), 400, "request.missing_field", field: "title")
        expect(try await post(body(["title": String(repeating: "a", count: 201)])), 400, "request.invalid_field", field: "title")
        expect(try await post(body(["units": ["000.00.31.H24", "31.H24"]])), 400, "directory.invalid_unit_code", field: "units[1]")
        expect(try await post(body(["startsAt": "tomorrow"])), 400, "request.invalid_field", field: "startsAt")
        expect(try await post(body(["colour": "red"])), 400, "request.unknown_field")
        var missing = body()
        missing["message"] = nil
        expect(try await post(missing), 400, "request.missing_field", field: "message")
        expect(try await post(body(), as: .sigV4(accessKey: scenario.first.accessKey, secretKey: scenario.first.secretKey)), 403, "auth.forbidden")
        let unknownID = PacketID.generate().rawValue
        expect(try await raw.send("DELETE", "/v1/admin/maintenance/\(unknownID)", signing: asAdmin), 404, "operations.unknown_maintenance")
        expect(try await raw.send("DELETE", "/v1/admin/maintenance/\(later.id)", signing: asAdmin), 409, "operations.maintenance_closed")
        expect(
            try await raw.send(
                "PUT", "/v1/admin/maintenance/\(later.id)", headers: [("content-type", "application/json")],
                body: try JSONSerialization.data(withJSONObject: body()), signing: asAdmin), 409, "operations.maintenance_closed")
        expect(try await raw.send("GET", "/v1/maintenance"), 401, "auth.missing_signature")
        // Nothing refused was stored.
        #expect(try await admin.maintenanceWindows(all: true).count == 2)
    }
}
