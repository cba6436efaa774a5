import Foundation
import LGSPCore
import LGSPStorage
import LGSPTesting
import Synchronization
import Testing

/// What only a shared PostgreSQL server makes possible, and the store must get right there: several
/// nodes (here several `PostgresStore`s, each with its own connection pool) writing at once.
@Suite("Postgres store under concurrency", .serialized)
struct PostgresStoreTests {
    /// A source in one unit and `count` receiving apps in as many units, registered.
    static func parties(_ store: PostgresStore, receivers count: Int = 1) async throws -> (source: App, receivers: [(unit: String, app: App)]) {
        try await store.addUnit(Fixtures.unit("000.00.02.H24"))
        let source = Fixtures.app(unit: "000.00.02.H24")
        try await store.addApp(source, secret: Fixtures.secret(for: source))
        var receivers: [(unit: String, app: App)] = []
        for index in 0..<count {
            let code = "000.00.\(31 + index).H24"
            try await store.addUnit(Fixtures.unit(code))
            let app = Fixtures.app(unit: code)
            try await store.addApp(app, secret: Fixtures.secret(for: app))
            receivers.append((code, app))
        }
        return (source, receivers)
    }

    static func otherStore(_ database: PostgresScratchDatabase, _ key: MasterKey) async throws -> PostgresStore {
        try await PostgresStore(url: try PostgresURL(database.url), masterKey: key, maximumConnections: 8, logger: PostgresTestStore.logger)
    }

    @Test("concurrent compare-and-set from many tasks on three nodes: exactly one wins, one history entry")
    func concurrentApply() async throws {
        guard PostgresTestStore.available() else { return }
        let key = MasterKey.generate()
        try await PostgresTestStore.with(masterKey: key) { store, database in
            let (source, receivers) = try await Self.parties(store)
            let packet = Fixtures.packet(from: source, to: [receivers[0].unit])
            _ = try await store.insert(packet, deliveries: Fixtures.deliveries(of: packet, to: receivers, state: .uploaded), sealedContentKey: Data([1]))
            let nodes = [store, try await Self.otherStore(database, key), try await Self.otherStore(database, key)]
            let change = DeliveryChange(packetID: packet.id, appID: receivers[0].app.id, from: .uploaded, to: .ready, at: Fixtures.epoch)
            let outcomes = await withTaskGroup(of: ErrorCode?.self) { group in
                for attempt in 0..<30 {
                    group.addTask {
                        do {
                            let event = HubEvent(appID: receivers[0].app.id, type: .packetAvailable, packetID: packet.id, payload: Data("{}".utf8), at: Fixtures.epoch)
                            try await nodes[attempt % 3].apply([change], packetUpdate: nil, events: [event])
                            return nil
                        } catch let error as LGSPError {
                            return error.code
                        } catch {
                            return .internalError
                        }
                    }
                }
                return await group.reduce(into: [ErrorCode?]()) { $0.append($1) }
            }
            #expect(outcomes.filter { $0 == nil }.count == 1, "exactly one apply wins")
            #expect(outcomes.compactMap { $0 }.allSatisfy { $0 == .invalidTransition }, "\(outcomes)")
            #expect(try await store.history(of: packet.id).map(\.state) == [.uploaded, .ready])
            #expect(try await store.events(appID: receivers[0].app.id, after: 0, limit: 100).count == 1, "the losers wrote no event")
            for node in nodes.dropFirst() { await node.close() }
        }
    }

    @Test("events of one app from concurrent writers: a reader following the log by cursor misses none")
    func eventOrderUnderConcurrentWriters() async throws {
        guard PostgresTestStore.available() else { return }
        let key = MasterKey.generate()
        try await PostgresTestStore.with(masterKey: key) { store, database in
            let (source, receivers) = try await Self.parties(store)
            let app = receivers[0].app.id
            let packet = Fixtures.packet(from: source, to: [receivers[0].unit])
            _ = try await store.insert(packet, deliveries: Fixtures.deliveries(of: packet, to: receivers), sealedContentKey: Data([1]))
            let nodes = [store, try await Self.otherStore(database, key), try await Self.otherStore(database, key)]
            let writers = 24
            let perWriter = 10
            let done = Tally()
            // The reader does what a stream does: read after its cursor, move the cursor to the last seen.
            let reader = Task {
                var seen: [Int64] = []
                var cursor: Int64 = 0
                while true {
                    let finished = done.value == writers
                    let page = try await store.events(appID: app, after: cursor, limit: 1000)
                    seen += page.compactMap(\.sequence)
                    cursor = page.last?.sequence ?? cursor
                    if finished && page.isEmpty { return seen }
                }
            }
            try await withThrowingTaskGroup(of: Void.self) { group in
                for writer in 0..<writers {
                    group.addTask {
                        for index in 0..<perWriter {
                            let event = HubEvent(
                                appID: app, type: .packetStatus, packetID: packet.id, payload: Data("{\"w\":\(writer),\"i\":\(index)}".utf8), at: Fixtures.epoch)
                            try await nodes[writer % 3].apply([], packetUpdate: nil, events: [event])
                        }
                        done.add()
                    }
                }
                try await group.waitForAll()
            }
            let seen = try await reader.value
            #expect(seen.count == writers * perWriter, "the reader saw \(seen.count) of \(writers * perWriter) events")
            #expect(seen == seen.sorted() && Set(seen).count == seen.count)
            for node in nodes.dropFirst() { await node.close() }
        }
    }

    @Test("one idempotency key sent from three nodes at once: one packet is stored, every call answers with it")
    func concurrentIdempotentInserts() async throws {
        guard PostgresTestStore.available() else { return }
        let key = MasterKey.generate()
        try await PostgresTestStore.with(masterKey: key) { store, database in
            let (source, receivers) = try await Self.parties(store)
            let nodes = [store, try await Self.otherStore(database, key), try await Self.otherStore(database, key)]
            let outcomes = try await withThrowingTaskGroup(of: (PacketID, PacketInsertOutcome).self) { group in
                for attempt in 0..<12 {
                    group.addTask {
                        let packet = Fixtures.packet(from: source, to: [receivers[0].unit], idempotencyKey: "gui-lai-1")
                        let outcome = try await nodes[attempt % 3].insert(
                            packet, deliveries: Fixtures.deliveries(of: packet, to: receivers), sealedContentKey: Data([1]))
                        return (packet.id, outcome)
                    }
                }
                return try await group.reduce(into: [(PacketID, PacketInsertOutcome)]()) { $0.append($1) }
            }
            let stored = outcomes.filter { $0.1 == .inserted }.map(\.0)
            #expect(stored.count == 1)
            #expect(outcomes.allSatisfy { $0.1 == .inserted || $0.1 == .existing(stored[0]) }, "\(outcomes)")
            #expect(try await database.query("SELECT count(*) FROM packets") == "1")
            for node in nodes.dropFirst() { await node.close() }
        }
    }

    @Test("due work read by three nodes at once is done exactly once")
    func dueWorkExactlyOnce() async throws {
        guard PostgresTestStore.available() else { return }
        let key = MasterKey.generate()
        try await PostgresTestStore.with(masterKey: key) { store, database in
            let (source, receivers) = try await Self.parties(store, receivers: 4)
            var packets: [Packet] = []
            for index in 0..<10 {
                let packet = Fixtures.packet(from: source, to: receivers.map(\.unit), createdAt: Fixtures.epoch.addingTimeInterval(Double(index)))
                _ = try await store.insert(packet, deliveries: Fixtures.deliveries(of: packet, to: receivers, state: .uploaded), sealedContentKey: Data([1]))
                packets.append(packet)
            }
            let nodes = [store, try await Self.otherStore(database, key), try await Self.otherStore(database, key)]
            let wins = Tally()
            // Each node runs maintenance passes as `Exchange` does: read the due deliveries, then
            // compare-and-set each; losing a race is expected and skipped.
            try await withThrowingTaskGroup(of: Void.self) { group in
                for node in nodes {
                    group.addTask {
                        while true {
                            let due = try await node.dueDeliveries(now: Fixtures.epoch.addingTimeInterval(60), limit: 7)
                            if due.isEmpty { return }
                            for delivery in due {
                                do {
                                    try await node.apply(
                                        [DeliveryChange(packetID: delivery.packetID, appID: delivery.appID, from: .uploaded, to: .ready, at: Fixtures.epoch)],
                                        packetUpdate: nil, events: [])
                                    wins.add()
                                } catch let error as LGSPError where error.code == .invalidTransition {}
                            }
                        }
                    }
                }
                try await group.waitForAll()
            }
            #expect(wins.value == 40)
            for packet in packets {
                let readies = try await store.history(of: packet.id).filter { $0.state == .ready }
                #expect(readies.count == 4, "each delivery became ready once")
            }
            for node in nodes.dropFirst() { await node.close() }
        }
    }

    @Test("migrations are applied once: reopening and opening from several nodes at once change nothing")
    func migrationsIdempotent() async throws {
        guard PostgresTestStore.available() else { return }
        let key = MasterKey.generate()
        guard let database = try await PostgresScratchDatabase.create("migrate") else { return }
        do {
            // Three nodes start together on an empty database: the advisory lock lets one migrate.
            let nodes = try await withThrowingTaskGroup(of: PostgresStore.self) { group in
                for _ in 0..<3 { group.addTask { try await Self.otherStore(database, key) } }
                return try await group.reduce(into: [PostgresStore]()) { $0.append($1) }
            }
            try await nodes[0].addUnit(Fixtures.unit("000.00.05.H24"))
            let reopened = try await Self.otherStore(database, key)
            #expect(try await reopened.appliedMigrations() == PostgresMigrations.all.map(\.name))
            #expect(try await reopened.units().count == 1)
            #expect(try await database.query("SELECT count(*) FROM lgsp_migrations") == "\(PostgresMigrations.all.count)")
            for node in nodes + [reopened] { await node.close() }
        } catch {
            await database.drop()
            throw error
        }
        await database.drop()
    }

    @Test("secrets sealed with one master key do not open with another")
    func wrongMasterKey() async throws {
        guard PostgresTestStore.available() else { return }
        try await PostgresTestStore.with { store, database in
            try await store.addUnit(Fixtures.unit("000.00.05.H24"))
            let app = Fixtures.app(unit: "000.00.05.H24")
            try await store.addApp(app, secret: Fixtures.secret(for: app))
            let other = try await Self.otherStore(database, .generate())
            let error = await #expect(throws: LGSPError.self) { _ = try await other.secrets(appID: app.id) }
            #expect(error?.code == .storageFailure)
            await other.close()
        }
    }

    @Test("the stored audit log refuses UPDATE, DELETE and TRUNCATE")
    func auditAppendOnly() async throws {
        guard PostgresTestStore.available() else { return }
        try await PostgresTestStore.with { store, database in
            _ = try await PostgresAuditLog(store: store).append([AuditRecord(at: Date(), actor: "system", action: "packet.expired", target: "p")])
            for statement in ["UPDATE audit_entries SET target = 'q'", "DELETE FROM audit_entries", "TRUNCATE audit_entries"] {
                let error = await #expect(throws: (any Error).self) { try await database.execute(statement) }
                #expect("\(error.map { "\($0)" } ?? "")".contains("append-only"), "\(statement)")
            }
            #expect(try await database.query("SELECT count(*) FROM audit_entries") == "1")
        }
    }

    /// The hot queries of `PostgresMigrations`' doc comment, as the store sends them (values inlined).
    static let hotQueries: [String] = [
        """
        SELECT * FROM deliveries d JOIN packets p ON p.id = d.packet_id WHERE d.app_id = 'a' AND d.state IN ('ready', 'notified', 'accepted')
        ORDER BY d.priority DESC, d.created_at, d.packet_id LIMIT 50
        """,
        "SELECT * FROM deliveries WHERE state = 'uploaded' AND (not_before IS NULL OR not_before <= 5) ORDER BY priority DESC, created_at, packet_id LIMIT 50",
        "SELECT * FROM events WHERE app_id = 'a' AND seq > 5 ORDER BY seq LIMIT 500",
        "SELECT MAX(seq) AS seq FROM events WHERE app_id = 'a'",
        "SELECT id FROM packets p WHERE purged_at IS NULL AND NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.packet_id = p.id AND NOT d.final) LIMIT 50",
        "SELECT * FROM deliveries WHERE NOT final AND deadline IS NOT NULL AND deadline <= 5 ORDER BY deadline LIMIT 50",
        """
        SELECT id FROM packets p WHERE state = 'awaiting_upload' AND upload_expires_at <= 5
            AND EXISTS (SELECT 1 FROM deliveries d WHERE d.packet_id = p.id AND NOT d.final) ORDER BY upload_expires_at LIMIT 50
        """,
        "SELECT * FROM deliveries WHERE app_id = 'a' AND state IN ('ready', 'notified') AND updated_at <= 5 ORDER BY updated_at, packet_id LIMIT 50",
        "SELECT * FROM packets WHERE source_app_id = 'a' ORDER BY id DESC LIMIT 50",
        "SELECT * FROM connections WHERE node = 'n' AND disconnected_at IS NULL",
        "DELETE FROM nonces WHERE expires_at < 5",
    ]

    @Test("every hot query can be answered from an index (EXPLAIN with sequential scans disabled)")
    func hotQueriesUseIndexes() async throws {
        guard PostgresTestStore.available() else { return }
        try await PostgresTestStore.with { _, database in
            for query in Self.hotQueries {
                // With seq scans off, a missing index still shows as "Seq Scan" (PostgreSQL's last resort).
                let plan = try await database.query("SET enable_seqscan = off; EXPLAIN \(query)")
                #expect(!plan.contains("Seq Scan"), "\(query)\n\(plan)")
            }
        }
    }

    @Test("a database URL names its parts; a wrong one is refused naming the problem")
    func urls() throws {
        let url = try PostgresURL("postgres://lgsp:p%40ss@db.example:6543/hub?sslmode=require")
        #expect(url.host == "db.example" && url.port == 6543 && url.username == "lgsp" && url.password == "p@ss" && url.database == "hub")
        #expect(url.requireTLS)
        #expect(url.description == "postgres://lgsp@db.example:6543/hub", "no password in the description")
        #expect(try PostgresURL("postgresql://u@h/d").port == 5432)
        for (text, words) in [("mysql://u@h/d", "postgres://"), ("postgres://h/d", "no user"), ("postgres://u@h", "no database")] {
            let error = #expect(throws: LGSPError.self) { try PostgresURL(text) }
            #expect(error?.code == .invalidField && error?.message.contains(words) == true, "\(text): \(String(describing: error))")
        }
    }
}

/// A counter shared by concurrent tasks.
final class Tally: Sendable {
    private let count = Atomic<Int>(0)
    func add() { count.add(1, ordering: .sequentiallyConsistent) }
    var value: Int { count.load(ordering: .sequentiallyConsistent) }
}
