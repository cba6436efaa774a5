import Foundation
import LGSPAPI
import LGSPClient
import LGSPCore
import LGSPTesting
import Testing

/// Many apps at once on one hub: every cycle completes and every packet is delivered exactly once.
/// The time limit turns a hang into a failure instead of a stuck CI run. (The one deadlock seen so
/// far — a synchronous GRDB read blocking the cooperative pool — showed only in a release build
/// under the benchmark; `SQLiteStore.reading` now makes that mistake a compile error.)
@Suite("Concurrent exchanges", .serialized)
struct ConcurrencyTests {
    @Test("24 concurrent senders complete 5 full cycles each; all 120 packets are delivered once", .timeLimit(.minutes(2)))
    func concurrentCycles() async throws {
        let hub = try await HubProcess.start()
        defer { hub.shutdown() }
        let scenario = try await Scenario.make(hub)
        let sender = scenario.client(scenario.source)
        let receiver = scenario.client(scenario.first)
        let delivered = try await withThrowingTaskGroup(of: [PacketID].self) { group in
            for worker in 0..<24 {
                group.addTask {
                    var ids: [PacketID] = []
                    for cycle in 0..<5 {
                        let data = Data("worker \(worker) cycle \(cycle)".utf8)
                        let sent = try await sender.send(to: [Scenario.firstUnit], subject: "Tải đồng thời", dataType: "edoc", data: data)
                        _ = try await receiver.inbox(limit: 200)
                        _ = try await receiver.accept(sent.id)
                        #expect(try await receiver.download(sent.id) == data)
                        try await receiver.acknowledge(sent.id, sha256: ContentDigest.of(data).hex)
                        ids.append(sent.id)
                    }
                    return ids
                }
            }
            return try await group.reduce(into: []) { $0 += $1 }
        }
        #expect(Set(delivered).count == 120)
        var all: [PacketBody] = []
        var before: String?
        repeat {
            let page = try await sender.packets(role: "sent", limit: 50, before: before)
            all += page.items
            before = page.next
        } while before != nil
        #expect(all.count == 120)
        #expect(all.allSatisfy { $0.state == .finished && $0.deliveries.map(\.state) == [.delivered] })
        #expect(try await receiver.inbox().isEmpty)
    }
}
