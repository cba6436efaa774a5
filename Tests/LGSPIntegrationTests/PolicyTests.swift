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
            policy: PolicyBody(notBefore: now.addingTimeInterval(5)))
        let urgentDeadline = try await sender.send(
            to: [Scenario.firstUnit], subject: "Có hạn", dataType: "edoc", data: Data("hạn".utf8),
            policy: PolicyBody(deadline: now.addingTimeInterval(5)))
        #expect(try await sender.packet(later.id).deliveries.first?.state == .uploaded)
        #expect(try await receiver.inbox().map(\.id) == [urgentDeadline.id])

        // Wide margins: the whole suite runs in parallel on two cores.
        try await Task.sleep(until: .now + .seconds(max(0, now.addingTimeInterval(7).timeIntervalSinceNow)))
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
