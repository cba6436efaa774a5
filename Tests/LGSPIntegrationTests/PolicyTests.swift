import Foundation
import LGSPAPI
import LGSPClient
import LGSPCore
import LGSPTesting
import Testing

/// The packet policy on a live hub: not-before holds a packet back, a deadline expires it, and the
/// inbox hands out flash before urgent before normal.
@Suite("Packet policy", .serialized)
struct PolicyTests {
    @Test("not-before holds a packet out of the inbox until its time; a deadline expires what is not acknowledged")
    func notBeforeAndDeadline() async throws {
        let hub = try await HubProcess.start()
        defer { hub.shutdown() }
        let scenario = try await Scenario.make(hub)
        let sender = scenario.client(scenario.source)
        let receiver = scenario.client(scenario.first)
        let now = Date()
        let later = try await sender.send(
            to: [Scenario.firstUnit], subject: "Gửi sau", dataType: "edoc", data: Data("sau".utf8),
            policy: PolicyBody(notBefore: now.addingTimeInterval(30)))
        let urgentDeadline = try await sender.send(
            to: [Scenario.firstUnit], subject: "Có hạn", dataType: "edoc", data: Data("hạn".utf8),
            policy: PolicyBody(deadline: now.addingTimeInterval(30)))
        #expect(try await sender.packet(later.id).deliveries.first?.state == .uploaded)
        #expect(try await receiver.inbox().map(\.id) == [urgentDeadline.id])

        // Wide margins: the whole suite runs in parallel on two cores, with PostgreSQL and a browser beside it
        // (5 and then 12 s were not enough for the two sends and the first checks while dozens of hubs start).
        try await Task.sleep(until: .now + .seconds(max(0, now.addingTimeInterval(34).timeIntervalSinceNow)))
        #expect(try await receiver.inbox().map(\.id) == [later.id])
        let expired = try await sender.packet(urgentDeadline.id)
        #expect(expired.state == .finished)
        #expect(expired.deliveries.first?.state == .expired)
        #expect(expired.deliveries.first?.reason?.contains("deadline") == true)
        #expect(expired.purgedAt != nil)
        let late = await #expect(throws: LGSPClientError.self) { _ = try await receiver.accept(urgentDeadline.id) }
        #expect(late?.code == .deliveryFinal)
    }

    @Test("the inbox hands out flash, then very urgent, urgent and normal, oldest first within a level")
    func priorityOrder() async throws {
        let hub = try await HubProcess.start()
        defer { hub.shutdown() }
        let scenario = try await Scenario.make(hub)
        let sender = scenario.client(scenario.source)
        var sent: [Priority: [PacketID]] = [:]
        for priority in [Priority.normal, .urgent, .flash, .normal, .veryUrgent, .flash, .urgent] {
            let packet = try await sender.send(to: [Scenario.firstUnit], subject: priority.vietnameseName, dataType: "edoc", data: Data("x".utf8), priority: priority)
            sent[priority, default: []].append(packet.id)
        }
        let order = try await scenario.client(scenario.first).inbox().map(\.id)
        #expect(order == sent[.flash]! + sent[.veryUrgent]! + sent[.urgent]! + sent[.normal]!)
    }

    @Test("under a steady flood of normal packets, each urgent packet is handed out in the first inbox page after it arrives")
    func bulkNeverStarvesUrgent() async throws {
        let hub = try await HubProcess.start()
        defer { hub.shutdown() }
        let scenario = try await Scenario.make(hub)
        let sender = scenario.client(scenario.source)
        let receiver = scenario.client(scenario.first)
        let bulkCount = 120
        // A backlog first, then more bulk keeps arriving while urgent packets are sent one by one.
        func sendBulk(_ range: Range<Int>) async throws -> [PacketID] {
            try await withThrowingTaskGroup(of: PacketID.self) { group in
                var ids: [PacketID] = []
                var next = range.lowerBound
                func add() {
                    let index = next
                    next += 1
                    group.addTask { try await sender.send(to: [Scenario.firstUnit], subject: "Hàng loạt \(index)", dataType: "edoc", data: Data("b\(index)".utf8)).id }
                }
                for _ in 0..<min(6, range.count) { add() }
                while let id = try await group.next() {
                    ids.append(id)
                    if next < range.upperBound { add() }
                }
                return ids
            }
        }
        var bulk = try await sendBulk(0..<bulkCount / 2)
        async let lateBulk = sendBulk(bulkCount / 2..<bulkCount)

        var handedOut: [PacketID] = []
        var urgent: [PacketID] = []
        // Taking a packet: accept, download, acknowledge (only then does it leave the inbox).
        func take(_ item: InboxItem) async throws {
            _ = try await receiver.accept(item.id)
            let content = try await receiver.download(item.id)
            try await receiver.acknowledge(item.id, sha256: ContentDigest.of(content).hex)
            handedOut.append(item.id)
        }
        for (index, priority) in [Priority.flash, .urgent, .veryUrgent, .urgent, .flash].enumerated() {
            let packet = try await sender.send(to: [Scenario.firstUnit], subject: "Khẩn \(index)", dataType: "edoc", data: Data("u\(index)".utf8), priority: priority)
            urgent.append(packet.id)
            let page = try await receiver.inbox(limit: 5)
            #expect(page.first?.id == packet.id, "urgent packet \(index) waits behind \(page.prefix(1).map(\.priority))")
            #expect(page.dropFirst().allSatisfy { $0.priority == .normal })
            for item in page { try await take(item) }
        }
        bulk += try await lateBulk
        // The rest drains oldest first; every packet is handed out exactly once.
        while true {
            let page = try await receiver.inbox(limit: 50)
            if page.isEmpty { break }
            #expect(page.map(\.createdAt) == page.map(\.createdAt).sorted())
            for item in page { try await take(item) }
        }
        #expect(handedOut.count == bulkCount + urgent.count)
        #expect(Set(handedOut) == Set(bulk + urgent))
    }

    @Test("a destination offline longer than its limit: its deliveries become undeliverable, and the source hears it with the last-seen time")
    func offlineTooLong() async throws {
        let curl = try #require(ExternalTools.curl, "curl reads the source's stored events")
        let hub = try await HubProcess.start(environment: ["LGSP_MAINTENANCE_INTERVAL_SECONDS": "0.2"])
        defer { hub.shutdown() }
        let scenario = try await Scenario.make(hub)
        let sender = scenario.client(scenario.source)
        let first = scenario.client(scenario.first)
        let second = scenario.client(scenario.second)
        // The first ward's app may stay offline 2 seconds; the second keeps the default (3 days).
        let updated = try await scenario.admin.setOfflineLimit(accessKey: scenario.first.accessKey, seconds: 2)
        #expect(updated.offlineLimitSeconds == 2)
        _ = try await first.inbox()  // seen once, then silent
        let seenAround = Date()

        let packet = try await sender.send(
            to: [Scenario.firstUnit, Scenario.secondUnit], subject: "Thông báo lịch họp", dataType: "edoc", data: Data("họp".utf8))
        var firstDelivery: DeliveryBody?
        for _ in 0..<100 {
            _ = try await second.inbox()  // the second ward's app stays in touch
            firstDelivery = try await sender.packet(packet.id).deliveries.first { $0.recipient.rawValue == Scenario.firstUnit }
            if firstDelivery?.state == .undeliverable { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        let given = try #require(firstDelivery)
        #expect(given.state == .undeliverable)
        let reason = try #require(given.reason)
        #expect(reason.contains("offline since") && reason.contains("2 seconds") && reason.contains(scenario.first.accessKey), "\(reason)")
        let status = try await sender.packet(packet.id)
        #expect(status.deliveries.first { $0.recipient.rawValue == Scenario.secondUnit }?.state.isFinal == false, "the other destination still waits")
        #expect(status.state != .finished)
        // The offline app cannot take it any more.
        let late = await #expect(throws: LGSPClientError.self) { _ = try await first.accept(packet.id) }
        #expect(late?.code == .deliveryFinal)

        // The source's stored events include delivery.undeliverable with the reason and when the app was last seen.
        let events = try await ExternalTools.run(curl, [
            "-sS", "-N", "--max-time", "2", "--aws-sigv4", "aws:amz:vn:lgsp", "--user", "\(scenario.source.accessKey):\(scenario.source.secretKey)",
            "-H", "Last-Event-ID: 0", hub.url + "/v1/events",
        ])
        let frames = events.text.components(separatedBy: "\n\n")
        let frame = try #require(frames.first { $0.contains("event: delivery.undeliverable") }, "\(events.text)")
        let data = try #require(frame.split(separator: "\n").first { $0.hasPrefix("data: ") }).dropFirst("data: ".count)
        let payload = try #require(try JSONSerialization.jsonObject(with: Data(data.utf8)) as? [String: Any])
        #expect(payload["packetId"] as? String == packet.id.description)
        #expect(payload["recipient"] as? String == Scenario.firstUnit)
        #expect(payload["state"] as? String == "undeliverable")
        #expect(payload["reason"] as? String == reason)
        let lastSeen = try #require((payload["lastSeen"] as? String).flatMap(APICoding.parseDate), "lastSeen in \(payload)")
        #expect(lastSeen.timeIntervalSince(seenAround).magnitude < 2, "last seen \(lastSeen) ≈ the app's one call at \(seenAround)")
    }

    @Test("an upload space that closes without content expires every delivery and tells the source")
    func abandonedUpload() async throws {
        let hub = try await HubProcess.start(environment: ["LGSP_EXCHANGE_UPLOAD_WINDOW_SECONDS": "1"])
        defer { hub.shutdown() }
        let scenario = try await Scenario.make(hub)
        let sender = scenario.client(scenario.source)
        let created = try await sender.createPacket(CreatePacketRequest(
            to: [Scenario.firstUnit, Scenario.secondUnit], subject: "Không tải lên", dataType: "edoc",
            content: ContentBody(size: 10, sha256: String(repeating: "a", count: 64), mediaType: "text/plain")))
        try await Task.sleep(for: .milliseconds(1800))
        let packet = try await sender.packet(created.id)
        #expect(packet.state == .finished)
        #expect(packet.deliveries.map(\.state) == [.expired, .expired])
        #expect(packet.deliveries.allSatisfy { $0.reason?.contains("upload space closed") == true })
    }
}
