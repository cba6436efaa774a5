import Foundation
import LGSPCore
import LGSPStorage
import LGSPTesting
import Logging
import Synchronization
import Testing

/// Node and task leases and `LISTEN/NOTIFY` wake-ups on a real PostgreSQL server
/// (`LGSP_TEST_POSTGRES_URL`), one fresh database per test.
@Suite("Postgres cluster store and event fanout")
struct PostgresClusterTests {
    @Test("cluster store contract (PostgreSQL)", arguments: ClusterStoreConformance.checks)
    func contract(_ check: ConformanceCheck<any ClusterStore>) async throws {
        guard PostgresTestStore.available() else { return }
        try await PostgresTestStore.with { store, _ in try await check.run(store) }
    }

    @Test("two stores (two nodes) on one database: one claim wins, and the lease moves only after it lapses")
    func twoNodes() async throws {
        guard PostgresTestStore.available() else { return }
        try await PostgresTestStore.with { one, scratch in
            let two = try await PostgresStore(url: try PostgresURL(scratch.url), masterKey: .generate(), maximumConnections: 4)
            defer { Task { await two.close() } }
            let now = Date()
            #expect(try await one.claim("maintenance", node: "a", until: now.addingTimeInterval(1), at: now))
            #expect(try await two.claim("maintenance", node: "b", until: now.addingTimeInterval(1), at: now) == false)
            #expect(try await two.claim("maintenance", node: "b", until: now.addingTimeInterval(3), at: now.addingTimeInterval(2)))
            #expect(try await one.holder(of: "maintenance", at: now.addingTimeInterval(2)) == "b")
        }
    }

    @Test("a node hears the apps another node published, not its own; after its listening connection is killed it reconnects and says 'everything'")
    func fanout() async throws {
        guard PostgresTestStore.available() else { return }
        try await PostgresTestStore.with { store, scratch in
            let logger = Logger(label: "test")
            let a = PostgresEventFanout(store: store, node: "a", logger: logger)
            let b = PostgresEventFanout(store: store, node: "b", logger: logger)
            let heard = SignalLog()
            let runners = [Task { try await a.run() }, Task { try await b.run() }]
            let reader = Task { for await signal in a.signals() { heard.append(signal) } }
            defer {
                for runner in runners { runner.cancel() }
                reader.cancel()
            }
            try await heard.wait { $0 == [.everything] }  // a is listening

            await b.publish(["app-1", "app-2"])
            await a.publish(["own"])
            try await heard.wait { $0.count >= 2 }
            try await Task.sleep(for: .milliseconds(300))
            #expect(heard.signals == [.everything, .apps(["app-1", "app-2"])], "a's own signal does not come back to it")

            // The listener's connection dies (a failover, a restart of PostgreSQL, a cut): a reconnects by itself.
            try await scratch.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND query ILIKE '%LISTEN%' AND pid <> pg_backend_pid()")
            try await heard.wait(timeout: .seconds(15)) { $0.count >= 3 }
            #expect(heard.signals.last == .everything, "missed signals are covered by waking every stream")
            await b.publish(["app-3"])
            try await heard.wait { $0.last == .apps(["app-3"]) }
        }
    }

    @Test("payloads stay under PostgreSQL's limit: many apps are split, one oversized id becomes 'everything'")
    func payloads() {
        let apps = Set((0..<1000).map { "app-\($0)-" + String(repeating: "x", count: 20) })
        let payloads = PostgresEventFanout.payloads(node: "node-1", apps: apps)
        #expect(payloads.count > 1 && payloads.allSatisfy { $0.utf8.count <= 7900 })
        let decoded = payloads.compactMap { PostgresEventFanout.signal(payload: $0, ownNode: "node-2") }
        var union = Set<String>()
        for case .apps(let some) in decoded { union.formUnion(some) }
        #expect(union == apps)
        #expect(PostgresEventFanout.payloads(node: "n", apps: [String(repeating: "y", count: 9000)]) == ["n\t*"])
        // Also when the oversized id sorts after ids already gathered.
        #expect(PostgresEventFanout.payloads(node: "n", apps: ["a", "b", String(repeating: "y", count: 9000)]) == ["n\t*"])
        #expect(PostgresEventFanout.signal(payload: "n\t*", ownNode: "m") == .everything)
        #expect(PostgresEventFanout.signal(payload: "m\tapp", ownNode: "m") == nil)
    }
}

/// The signals a fanout yielded, for a test to wait on.
final class SignalLog: Sendable {
    private let log = Mutex<[FanoutSignal]>([])
    var signals: [FanoutSignal] { log.withLock { $0 } }
    func append(_ signal: FanoutSignal) { log.withLock { $0.append(signal) } }

    func wait(timeout: Duration = .seconds(10), _ condition: ([FanoutSignal]) -> Bool) async throws {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if condition(signals) { return }
            try await Task.sleep(for: .milliseconds(20))
        }
        Issue.record("timed out; heard \(signals)")
        throw CancellationError()
    }
}
