import Foundation
import LGSPAPI
import LGSPClient
import LGSPCore
import LGSPStorage
import LGSPTesting
import Testing

/// A real `lgsp serve` on PostgreSQL (`LGSP_DATABASE_URL`, a database of its own on the test server
/// of `LGSP_TEST_POSTGRES_URL`) doing a whole exchange over HTTP. Without a test server the suite is
/// skipped, or fails when `LGSP_REQUIRE_INTEROP=1`.
@Suite("Hub on PostgreSQL (Postgres)", .serialized)
struct PostgresHubTests {
    @Test("send → upload → inbox → accept → download → ack → purge on PostgreSQL; the rows are in PostgreSQL, none in SQLite")
    func fullCycle() async throws {
        guard PostgresTestStore.available(), let database = try await PostgresScratchDatabase.create("hub") else { return }
        defer { Task { await database.drop() } }
        let hub = try await HubProcess.start(environment: ["LGSP_DATABASE_URL": database.url])
        defer { hub.shutdown() }
        let scenario = try await Scenario.make(hub)
        let content = BlobStoreConformance.content(200_000)
        let digest = ContentDigest.of(content)
        let sender = scenario.client(scenario.source)
        let sent = try await sender.send(
            to: [Scenario.firstUnit], subject: "Công văn số 12/STC-NS", dataType: "edoc", file: try scenario.file("cong-van.pdf", content),
            mediaType: "application/pdf", priority: .urgent)
        #expect(sent.state == .inTransit)

        let receiver = scenario.client(scenario.first)
        let item = try #require(try await receiver.inbox().first { $0.id == sent.id })
        #expect(item.content.sha256 == digest.hex)
        _ = try await receiver.accept(sent.id)
        let received = try await receiver.download(sent.id, to: hub.data.path + "/received.pdf")
        #expect(received == digest)
        let delivery = try await receiver.acknowledge(sent.id, sha256: received.hex)
        #expect(delivery.state == .delivered)

        let finished = try await sender.packet(sent.id)
        #expect(finished.state == .finished)
        #expect(finished.purgedAt != nil)
        #expect(finished.deliveries.first?.history?.map(\.state) == [.created, .uploaded, .ready, .notified, .accepted, .delivered])

        // The exchange was written to PostgreSQL: the packet's row, its purged key, its events, the audit chain.
        #expect(try await database.query("SELECT state || ':' || (sealed_key IS NULL)::text FROM packets WHERE id = '\(sent.id)'") == "finished:true")
        #expect(Int(try await database.query("SELECT count(*) FROM events")) ?? 0 >= 2)
        #expect(Int(try await database.query("SELECT count(*) FROM units")) == 4)
        #expect(!FileManager.default.fileExists(atPath: hub.data.path + "/data/lgsp.sqlite"), "no SQLite database beside PostgreSQL")
        try await eventually { Int(try await database.query("SELECT count(*) FROM audit_entries")) ?? 0 > 0 }
        let audit = try await scenario.admin.auditEntries(from: nil, to: nil)
        #expect(audit.items.contains { $0.action.hasPrefix("admin.") }, "the admin API's actions are in the PostgreSQL audit log")

        // The tools work on the PostgreSQL database too: the chain verifies, the schema is up to date.
        let verify = try await ExternalTools.run(
            HubProcess.binaryPath, ["audit", "verify", "--data", hub.data.path + "/data", "--database", database.url])
        #expect(verify.status == 0 && verify.text.contains("audit log intact"), "\(verify.text) \(verify.stderr)")
        let migrate = try await ExternalTools.run(HubProcess.binaryPath, ["migrate", "--data", hub.data.path + "/data", "--database", database.url])
        #expect(migrate.status == 0 && migrate.text.contains("schema version \(PostgresMigrations.all.last?.name ?? "?")"), "\(migrate.text) \(migrate.stderr)")
    }

    @Test("a hub restarted on the same database finds its directory and packets; a second node sees them at once")
    func restartAndSecondNode() async throws {
        guard PostgresTestStore.available(), let database = try await PostgresScratchDatabase.create("hub") else { return }
        defer { Task { await database.drop() } }
        let first = try await HubProcess.start(environment: ["LGSP_DATABASE_URL": database.url, "LGSP_HUB_NODE": "a"])
        let scenario = try await Scenario.make(first)
        let sent = try await scenario.client(scenario.source).send(
            to: [Scenario.firstUnit], subject: "Giấy mời", dataType: "edoc", data: Data("họp".utf8))
        first.stop()
        // Same data folder (master key, content), same database: a restart, then a second node beside it.
        let restarted = try await HubProcess.start(environment: ["LGSP_DATABASE_URL": database.url, "LGSP_HUB_NODE": "a"], data: first.data)
        defer { restarted.shutdown() }
        let second = try await HubProcess.start(
            environment: ["LGSP_DATABASE_URL": database.url, "LGSP_HUB_NODE": "b"], data: first.data, logName: "second")
        defer { second.stop() }
        for node in [restarted, second] {
            let receiver = LGSPClient(url: node.url, accessKey: scenario.first.accessKey, secretKey: scenario.first.secretKey)
            #expect(try await receiver.inbox().contains { $0.id == sent.id }, "\(node.url)")
        }
    }

    /// Retries `condition` for a few seconds (the audit log is written in batches).
    func eventually(_ condition: () async throws -> Bool) async throws {
        for _ in 0..<50 {
            if try await condition() { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        Issue.record("the condition did not become true within 5 s")
    }
}
