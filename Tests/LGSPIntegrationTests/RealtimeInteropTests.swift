import Foundation
import LGSPAPI
import LGSPClient
import LGSPTesting
import Testing

/// Real-time notifications (Article 8.4) with clients we did not write: PyPI `websockets` on
/// `GET /v1/stream` and `sseclient-py` on `GET /v1/events`, both signed by botocore; resuming with the
/// last event id after a disconnect and after a hub restart; presence while a stream is held.
@Suite("Realtime interop", .serialized)
struct RealtimeInteropTests {
    static let environment = ["LGSP_REALTIME_HEARTBEAT_SECONDS": "1"]

    /// One line printed by `stream_client.py`.
    struct Line: Decodable {
        var type: String
        var id: Int64?
        var packetId: String?
        var lastEventId: Int64?
        var inbox: [String]?
        var status: Int?
    }

    /// Runs `stream_client.py` until `count` events arrived (or `timeout` seconds passed).
    static func listen(
        _ mode: String, _ hub: HubProcess, _ credential: CredentialResponse, count: Int, timeout: Double = 60, lastEventID: Int64? = nil
    ) async throws -> [Line] {
        var arguments = [mode, hub.url, credential.accessKey, credential.secretKey, String(count), String(timeout)]
        if let lastEventID { arguments.append(String(lastEventID)) }
        let result = try await ExternalTools.python(script: "stream_client.py", arguments)
        #expect(result.status == 0, "stream_client.py \(mode): \(result.stderr)")
        return try result.text.split(separator: "\n").map { try JSONDecoder().decode(Line.self, from: Data($0.utf8)) }
    }

    /// Waits until the app holds `count` open connections at the hub (seen through the presence API).
    static func waitForConnections(_ client: LGSPClient, accessKey: String, count: Int = 1) async throws {
        for _ in 0..<600 {
            let presence = try await client.presence(of: accessKey)
            if presence.apps.first?.connections.count ?? 0 >= count { return }
            try await Task.sleep(for: .milliseconds(50))
        }
        Issue.record("app \(accessKey) never held \(count) stream(s)")
    }

    @Test("websockets and sseclient-py receive packet.available for a packet uploaded by another app; presence shows their streams")
    func liveEvents() async throws {
        guard try InteropTests.requirePython() else { return }
        let hub = try await HubProcess.start(environment: Self.environment)
        defer { hub.shutdown() }
        let scenario = try await Scenario.make(hub)
        let sourceClient = scenario.client(scenario.source)
        // Something already waiting for the first ward: it must be in the WebSocket snapshot.
        let waiting = try await sourceClient.send(to: [Scenario.firstUnit], subject: "Đã chờ sẵn", dataType: "edoc", data: Data("a".utf8))

        async let webSocket = Self.listen("ws", hub, scenario.first, count: 1)
        async let serverSent = Self.listen("sse", hub, scenario.second, count: 1)
        try await Self.waitForConnections(sourceClient, accessKey: scenario.first.accessKey)
        try await Self.waitForConnections(sourceClient, accessKey: scenario.second.accessKey)

        let unitPresence = try await sourceClient.presence(of: Scenario.firstUnit)
        #expect(unitPresence.online)
        #expect(unitPresence.apps.first?.connections.first?.channel == "websocket")
        #expect(try await sourceClient.presence(of: scenario.second.accessKey).apps.first?.connections.first?.channel == "sse")

        let sent = try await sourceClient.send(
            to: [Scenario.firstUnit, Scenario.secondUnit], subject: "Công văn mới", dataType: "edoc", data: Data("nội dung".utf8))
        let (wsLines, sseLines) = try await (webSocket, serverSent)

        #expect(wsLines.first?.type == "snapshot", "the snapshot comes first: \(wsLines.map(\.type))")
        #expect(wsLines.first?.inbox?.contains(waiting.id.description) == true, "the waiting packet is in the snapshot")
        #expect(wsLines.dropFirst().map(\.type) == ["packet.available"])
        #expect(wsLines.last?.packetId == sent.id.description)
        #expect(sseLines.first?.type == "snapshot")
        #expect(sseLines.dropFirst().map(\.type) == ["packet.available"])
        #expect(sseLines.last?.packetId == sent.id.description)

        // Both streams are closed now: the connections are in the history with their end.
        var closed = false
        for _ in 0..<200 where !closed {
            let history = try await scenario.admin.connectionHistory(unit: Scenario.firstUnit)
            closed = history.items.contains { $0.channel == "websocket" && $0.disconnectedAt != nil }
            if !closed { try await Task.sleep(for: .milliseconds(50)) }
        }
        #expect(closed, "the closed WebSocket is in the connection history with its end")
    }

    @Test("a client that disconnects and reconnects with its last event id gets every event it missed, also across a hub restart")
    func resume() async throws {
        guard try InteropTests.requirePython() else { return }
        let data = try TemporaryFolder()
        let hub = try await HubProcess.start(environment: Self.environment, data: data)
        defer { data.remove() }
        let scenario = try await Scenario.make(hub)
        let sourceClient = scenario.client(scenario.source)

        async let first = Self.listen("ws", hub, scenario.first, count: 1)
        try await Self.waitForConnections(sourceClient, accessKey: scenario.first.accessKey)
        let packetA = try await sourceClient.send(to: [Scenario.firstUnit], subject: "A", dataType: "edoc", data: Data("A".utf8))
        let seen = try await first
        let lastA = try #require(seen.last?.id)
        #expect(seen.last?.packetId == packetA.id.description)

        // Offline: two packets arrive meanwhile.
        let packetB = try await sourceClient.send(to: [Scenario.firstUnit], subject: "B", dataType: "edoc", data: Data("B".utf8))
        let packetC = try await sourceClient.send(to: [Scenario.firstUnit], subject: "C", dataType: "edoc", data: Data("C".utf8))
        let missed = try await Self.listen("sse", hub, scenario.first, count: 2, lastEventID: lastA)
        #expect(missed.first?.type == "snapshot")
        #expect(missed.dropFirst().map(\.packetId) == [packetB.id.description, packetC.id.description])
        #expect(missed.dropFirst().allSatisfy { $0.type == "packet.available" })
        let lastC = try #require(missed.last?.id)

        // A packet sent, then the hub restarts before the client comes back: the event was stored.
        let packetD = try await sourceClient.send(to: [Scenario.firstUnit], subject: "D", dataType: "edoc", data: Data("D".utf8))
        hub.stop()
        let restarted = try await HubProcess.start(environment: Self.environment, data: data)
        defer { restarted.stop() }
        let restartedClient = LGSPClient(url: restarted.url, accessKey: scenario.source.accessKey, secretKey: scenario.source.secretKey)
        async let afterRestart = Self.listen("ws", restarted, scenario.first, count: 2, lastEventID: lastC)
        try await Self.waitForConnections(restartedClient, accessKey: scenario.first.accessKey)
        let packetE = try await restartedClient.send(to: [Scenario.firstUnit], subject: "E", dataType: "edoc", data: Data("E".utf8))
        let resumed = try await afterRestart
        #expect(resumed.dropFirst().map(\.packetId) == [packetD.id.description, packetE.id.description], "\(resumed)")
        let ids = resumed.dropFirst().compactMap(\.id)
        #expect(ids == ids.sorted() && ids.allSatisfy { $0 > lastC }, "event ids increase across the restart: \(ids)")
    }

    @Test("a stream refuses a bad signature and a malformed Last-Event-ID with problem documents")
    func refusals() async throws {
        let hub = try await HubProcess.start(environment: Self.environment)
        defer { hub.shutdown() }
        let scenario = try await Scenario.make(hub)
        let raw = RawClient(url: hub.url)
        let first = RawClient.Signing.sigV4(accessKey: scenario.first.accessKey, secretKey: scenario.first.secretKey)
        let unsigned = try await raw.send("GET", "/v1/events", headers: [("Accept", "text/event-stream")])
        #expect(unsigned.status == 401)
        #expect(unsigned.problem?.code == "auth.missing_signature")
        let badID = try await raw.send("GET", "/v1/events", headers: [("Last-Event-ID", "yesterday")], signing: first)
        #expect(badID.status == 400)
        #expect(badID.problem?.code == "request.invalid_field", "\(badID.text)")
        let admin = try await raw.send("GET", "/v1/events", signing: .sigV4(accessKey: hub.admin.accessKey, secretKey: hub.admin.secretKey))
        #expect(admin.status == 403, "an administrator has no unit and no feed: \(admin.text)")
        let noUpgrade = try await raw.send("GET", "/v1/stream", signing: first)
        #expect(noUpgrade.status == 400)
        #expect(noUpgrade.text.contains("WebSocket"))
    }
}
