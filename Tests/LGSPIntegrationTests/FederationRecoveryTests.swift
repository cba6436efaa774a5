import Foundation
import LGSPAPI
import LGSPClient
import LGSPCore
import LGSPTesting
import Testing

/// Store-and-forward across a crash: the national hub is killed (`kill -9`) in the middle of a stream
/// of mixed-priority packets from A to B; A's local traffic keeps flowing and its link queues; when N
/// comes back every packet arrives at B exactly once, and the link handed them off by priority.
@Suite("Federation recovery after kill -9", .serialized)
struct FederationRecoveryTests {
    @Test("kill -9 of N mid-stream: local traffic flows, the queue waits, every packet arrives once, flash first")
    func nationalHubKilled_nothingLostNothingDuplicated() async throws {
        let hubs = try await Federation3.start()
        defer { hubs.shutdown() }
        var sent: [PacketID: Priority] = [:]
        // The stream starts while N is up …
        for index in 0..<3 {
            let packet = try await hubs.sender.send(
                to: [Federation3.remoteUnit], subject: "Trước sự cố \(index)", dataType: "edoc", data: Data("trước \(index)".utf8))
            sent[packet.id] = .normal
        }
        _ = try await Federation3.eventually("the first packets at B", { try await hubs.remoteReceiver.inbox() }, until: { !$0.isEmpty })
        hubs.n.kill()
        // … and goes on while N is dead: mixed priorities, oldest normal first so that order is not arrival order.
        let priorities: [Priority] = [.normal, .urgent, .normal, .flash, .veryUrgent, .urgent, .flash, .normal]
        var queued: [PacketID] = []
        for (index, priority) in priorities.enumerated() {
            let packet = try await hubs.sender.send(
                to: [Federation3.remoteUnit], subject: "Trong sự cố \(index)", dataType: "edoc", data: Data("trong \(index)".utf8), priority: priority)
            sent[packet.id] = priority
            queued.append(packet.id)
        }
        // Local traffic at A does not wait on the dead link.
        let local = try await hubs.sender.send(to: [Federation3.localUnit], subject: "Trong tỉnh", dataType: "edoc", data: Data("nội tỉnh".utf8))
        _ = try await Federation3.eventually("the local packet offered", { try await hubs.localReceiver.inbox() }, until: { $0.contains { $0.id == local.id } })
        _ = try await Federation3.receive(local.id, by: hubs.localReceiver)
        #expect(try await hubs.sender.packet(local.id).deliveries.map(\.state) == [.delivered])
        // The link shows the outage and its queue.
        let down = try await Federation3.eventually("A's link down with its queue", { try await hubs.a.adminClient().peers().items[0] },
            until: { $0.state == "down" && $0.queueDepth >= queued.count })
        #expect(down.queueDepth >= queued.count && down.lastError != nil)

        let restarted = try await Federation3.startN(folder: hubs.folder, port: hubs.ports.n, data: hubs.n.data)
        defer { restarted.shutdown() }
        let inbox = try await Federation3.eventually("every packet at B", seconds: 60, { try await hubs.remoteReceiver.inbox(limit: 100) },
            until: { Set($0.map(\.id)) == Set(sent.keys) })
        #expect(inbox.count == sent.count, "each packet exactly once: \(inbox.map(\.id))")
        #expect(Set(inbox.map(\.id)) == Set(sent.keys))
        // B offers them by priority, then age, as a local inbox does.
        #expect(inbox.map(\.priority) == inbox.map(\.priority).sorted(by: >))
        for item in inbox { _ = try await Federation3.receive(item.id, by: hubs.remoteReceiver) }

        // A's link handed the queued packets off in priority order, then age (its history says when).
        var handedOffAt: [(PacketID, Date)] = []
        for id in queued {
            let delivery = try await Federation3.eventually("A's delivery of \(id) delivered", { try await hubs.sourceDelivery(id, Federation3.remoteUnit) },
                until: { $0?.state == .delivered })
            let at = try #require(delivery?.history?.first { $0.state == .handedOff }?.at)
            handedOffAt.append((id, at))
        }
        let byHandOff = handedOffAt.sorted { $0.1 < $1.1 || ($0.1 == $1.1 && $0.0 < $1.0) }.map { sent[$0.0]! }
        #expect(byHandOff == byHandOff.sorted(by: >), "handed off by priority: \(byHandOff)")
        // Nothing was lost on the way: every packet is finished at A.
        for id in sent.keys {
            let finished = try await Federation3.eventually("packet \(id) finished at A", { try await hubs.sender.packet(id) }, until: { $0.state == .finished })
            #expect(finished.deliveries.map(\.state) == [.delivered])
        }
    }
}
