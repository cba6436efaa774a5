import Foundation
import LGSPCore
import Testing

/// The `ClusterStore` contract, as checks every implementation must pass on an empty store.
public enum ClusterStoreConformance {
    static let t0 = Fixtures.epoch

    public static let checks: [ConformanceCheck<any ClusterStore>] = [
        .init("a node's lease is created, renewed and reported expired only after it ends") { store in
            try await store.renewNode("a", startedAt: t0, until: t0.addingTimeInterval(10))
            try await store.renewNode("b", startedAt: t0, until: t0.addingTimeInterval(5))
            #expect(try await store.nodes().map(\.node) == ["a", "b"])
            #expect(try await store.expiredNodes(at: t0.addingTimeInterval(5)).isEmpty)
            #expect(try await store.expiredNodes(at: t0.addingTimeInterval(6)).map(\.node) == ["b"])
            try await store.renewNode("b", startedAt: t0, until: t0.addingTimeInterval(20))
            #expect(try await store.expiredNodes(at: t0.addingTimeInterval(11)).map(\.node) == ["a"])
            let a = try #require(try await store.nodes().first { $0.node == "a" })
            #expect(a.until == t0.addingTimeInterval(10) && a.startedAt == t0)
        },
        .init("of many concurrent reapers of a dead node exactly one wins, and a live node is never reaped") { store in
            try await store.renewNode("dead", startedAt: t0, until: t0.addingTimeInterval(1))
            try await store.renewNode("alive", startedAt: t0, until: t0.addingTimeInterval(100))
            let now = t0.addingTimeInterval(2)
            let wins = try await withThrowingTaskGroup(of: Bool.self) { group in
                for _ in 0..<8 { group.addTask { try await store.reapNode("dead", at: now) } }
                return try await group.reduce(0) { $0 + ($1 ? 1 : 0) }
            }
            #expect(wins == 1)
            #expect(try await store.reapNode("alive", at: now) == false)
            #expect(try await store.nodes().map(\.node) == ["alive"])
        },
        .init("a task lease has one holder until it ends or is released; its holder renews it") { store in
            #expect(try await store.claim("sweep", node: "a", until: t0.addingTimeInterval(10), at: t0))
            #expect(try await store.claim("sweep", node: "b", until: t0.addingTimeInterval(10), at: t0.addingTimeInterval(1)) == false)
            #expect(try await store.holder(of: "sweep", at: t0.addingTimeInterval(1)) == "a")
            #expect(try await store.claim("sweep", node: "a", until: t0.addingTimeInterval(20), at: t0.addingTimeInterval(9)))
            #expect(try await store.claim("sweep", node: "b", until: t0.addingTimeInterval(30), at: t0.addingTimeInterval(15)) == false)
            #expect(try await store.claim("sweep", node: "b", until: t0.addingTimeInterval(30), at: t0.addingTimeInterval(21)))
            #expect(try await store.holder(of: "sweep", at: t0.addingTimeInterval(21)) == "b")
            try await store.release("sweep", node: "a")
            #expect(try await store.holder(of: "sweep", at: t0.addingTimeInterval(21)) == "b", "only the holder's release counts")
            try await store.release("sweep", node: "b")
            #expect(try await store.holder(of: "sweep", at: t0.addingTimeInterval(21)) == nil)
            #expect(try await store.claim("sweep", node: "a", until: t0.addingTimeInterval(40), at: t0.addingTimeInterval(22)))
        },
        .init("of many nodes claiming a free task at once exactly one gets it") { store in
            let winners = try await withThrowingTaskGroup(of: String?.self) { group in
                for index in 0..<8 {
                    group.addTask {
                        try await store.claim("webhook:x", node: "n\(index)", until: t0.addingTimeInterval(10), at: t0) ? "n\(index)" : nil
                    }
                }
                return try await group.reduce(into: [String]()) { if let node = $1 { $0.append(node) } }
            }
            #expect(winners.count == 1)
            #expect(try await store.holder(of: "webhook:x", at: t0) == winners.first)
        },
        .init("releasing a dead node's leases frees every task it held and no other") { store in
            #expect(try await store.claim("one", node: "dead", until: t0.addingTimeInterval(10), at: t0))
            #expect(try await store.claim("two", node: "dead", until: t0.addingTimeInterval(10), at: t0))
            #expect(try await store.claim("three", node: "alive", until: t0.addingTimeInterval(10), at: t0))
            try await store.releaseAll(holder: "dead")
            #expect(try await store.holder(of: "one", at: t0) == nil)
            #expect(try await store.holder(of: "two", at: t0) == nil)
            #expect(try await store.holder(of: "three", at: t0) == "alive")
            #expect(try await store.claim("one", node: "alive", until: t0.addingTimeInterval(10), at: t0))
        },
    ]
}
