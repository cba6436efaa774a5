import Foundation
import LGSPAPI
import LGSPClient
import LGSPCore
import LGSPTesting
import Testing

/// Article 14.5 on a live hub: admin actions and a packet exchange land in the hash-chained audit
/// log with who, what, from where and the outcome; `lgsp audit verify` proves the chain, and names
/// the entry after one byte of the stored log is changed with `sqlite3` while the hub is stopped.
@Suite("Audit log", .serialized)
struct AuditLogTests {
    static func lgsp(_ arguments: [String], environment: [String: String] = [:]) async throws -> ExternalTools.Result {
        try await ExternalTools.run(HubProcess.binaryPath, arguments, environment: environment)
    }

    @Test("admin actions and a packet exchange are audited; verify passes, then names the entry changed on disk")
    func liveLogVerifiesAndTamperingIsNamed() async throws {
        let hub = try await HubProcess.start()
        defer {
            hub.kill()
            hub.data.remove()
        }
        let scenario = try await Scenario.make(hub)
        let adminKey = try hub.admin.accessKey
        // A refused admin action and a failed authentication are audited with their codes.
        await #expect(throws: LGSPClientError.self) { _ = try await scenario.admin.addUnit(code: "00.00.31.H24", name: "Sai mã") }
        let forged = LGSPClient(url: hub.url, accessKey: scenario.source.accessKey, secretKey: "not-the-secret-key-at-all-000000")
        await #expect(throws: LGSPClientError.self) { _ = try await forged.inbox() }

        let sender = scenario.client(scenario.source)
        let content = Data("Công văn số 07/STC về kiểm toán nội bộ".utf8)
        let sent = try await sender.send(
            to: [Scenario.firstUnit], subject: "Kiểm toán", dataType: "edoc", file: try scenario.file("kiem-toan.txt", content), mediaType: "text/plain")
        let receiver = scenario.client(scenario.first)
        _ = try await receiver.accept(sent.id)
        let received = try await receiver.download(sent.id)
        _ = try await receiver.acknowledge(sent.id, sha256: ContentDigest.of(received).hex)

        // Export through the admin API (the CLI pages through GET /v1/admin/audit).
        let exported = try await Self.lgsp(["audit", "export", "--json", "--url", hub.url, "--data", hub.dataPath])
        #expect(exported.status == 0, "\(exported.stderr)")
        let entries = try APICoding.makeDecoder().decode(AuditListResponse.self, from: exported.stdout).items
        func first(_ action: String, outcome: String = "ok") -> AuditEntryBody? { entries.first { $0.action == action && $0.outcome == outcome } }
        let unitCreated = try #require(first("admin.units.create"), "\(entries.map(\.action))")
        #expect(unitCreated.actor == "admin:\(adminKey)")
        #expect(unitCreated.source.hasPrefix("127.0.0.1:"), "\(unitCreated.source)")
        #expect(!unitCreated.requestId.isEmpty)
        #expect(unitCreated.target == "POST /v1/admin/units {code=000.00.00.H24, name=Ủy ban nhân dân thành phố Hải Phòng}")
        #expect(first("admin.apps.create")?.target.contains("unit=\(Scenario.sourceUnit)") == true)
        #expect(first("admin.grants.create")?.target == "POST /v1/admin/grants {app=\(scenario.source.accessKey), sendTo=*.H24, dataType=edoc}")
        #expect(first("admin.units.create", outcome: "directory.invalid_unit_code") != nil)
        let authFailure = try #require(entries.first { $0.action == "auth.failure" })
        #expect(authFailure.actor == "claimed:\(scenario.source.accessKey)" && authFailure.outcome == "auth.signature_mismatch")
        for action in ["packet.created", "packet.uploaded", "packet.accepted", "packet.downloaded", "packet.delivered"] {
            let entry = try #require(first(action), "\(action) missing from \(entries.map(\.action))")
            #expect(entry.target.contains(sent.id.description), "\(action): \(entry.target)")
        }
        #expect(first("packet.created")?.actor == "app:\(scenario.source.accessKey)")
        #expect(first("packet.delivered")?.actor == "app:\(scenario.first.accessKey)")
        #expect(entries.map(\.sequence) == Array(1...Int64(entries.count)))

        let csv = try await Self.lgsp(["audit", "export", "--csv", "--url", hub.url, "--data", hub.dataPath])
        #expect(csv.text.hasPrefix(AuditEntryBody.csvHeader + "\n") && csv.text.contains(",packet.delivered,"))

        // Verification while the hub runs, and after a graceful stop (which writes a signed checkpoint).
        let live = try await Self.lgsp(["audit", "verify", "--data", hub.dataPath])
        #expect(live.status == 0, "\(live.stdout) \(live.stderr)")
        #expect(live.text.contains("audit log intact"))
        hub.stop()
        let stopped = try await Self.lgsp(["audit", "verify", "--json", "--data", hub.dataPath])
        #expect(stopped.status == 0, "\(stopped.text) \(stopped.stderr)")
        let summary = try #require(try JSONSerialization.jsonObject(with: stopped.stdout) as? [String: Any])
        #expect((summary["checkpoints"] as? Int ?? 0) >= 1)
        #expect((summary["entries"] as? Int ?? 0) >= entries.count)

        // One byte of the grant entry changes: verify fails and names that entry and its time.
        let grant = try #require(first("admin.grants.create"))
        let change = try await AuditTampering.flipByte(databasePath: hub.dataPath + "/audit.sqlite", sequence: grant.sequence)
        #expect(change.before != change.after)
        let broken = try await Self.lgsp(["audit", "verify", "--data", hub.dataPath])
        #expect(broken.status == 1, "\(broken.text) \(broken.stderr)")
        #expect(broken.stderr.contains("broken at entry \(grant.sequence) (\(grant.at.isoMillis))"), "\(broken.stderr)")
        #expect(broken.stderr.contains("does not match"))
    }

    @Test("a graceful stop (SIGTERM) writes the last batch of records before the hub exits")
    func gracefulStopWritesTheLastBatch() async throws {
        let hub = try await HubProcess.start()
        defer { hub.shutdown() }
        // Created and stopped at once: the record is still in the recorder's batch when SIGTERM arrives.
        _ = try await hub.adminClient().addUnit(code: "000.00.00.H25", name: "Ủy ban nhân dân tỉnh Hòa Bình")
        hub.stop()
        let restarted = try await HubProcess.start(data: hub.data)
        defer { restarted.shutdown() }
        let entries = try await restarted.adminClient().auditEntries(from: nil, to: nil, limit: 10_000).items
        #expect(entries.contains { $0.action == "admin.units.create" && $0.outcome == "ok" }, "\(entries.map(\.action))")
    }

    @Test("the audit endpoint pages for administrators only; after a crash the chain still verifies")
    func endpointIsAdminOnly() async throws {
        let hub = try await HubProcess.start()
        defer { hub.shutdown() }
        let scenario = try await Scenario.make(hub)
        await #expect(throws: LGSPClientError.self) { _ = try await scenario.client(scenario.source).auditEntries(from: nil, to: nil) }
        let page = try await scenario.admin.auditEntries(from: nil, to: nil, after: 0, limit: 2)
        #expect(page.items.map(\.sequence) == [1, 2] && page.next == 2)
        let rest = try await scenario.admin.auditEntries(from: nil, to: nil, after: 2, limit: 10_000)
        #expect(rest.items.first?.sequence == 3 && rest.next == nil)
        let forbidden = rest.items.last { $0.action == "auth.failure" }
        #expect(forbidden?.outcome == "auth.forbidden" && forbidden?.target == "GET /v1/admin/audit")
        let future = try await scenario.admin.auditEntries(from: Date().addingTimeInterval(3600), to: nil)
        #expect(future.items.isEmpty)
        let raw = try await RawClient(url: hub.url).send("GET", "/v1/admin/audit?limit=0")
        #expect(raw.status == 401)

        // A crash (SIGKILL) may lose the last unflushed batch but leaves the chain intact.
        hub.kill()
        let verified = try await Self.lgsp(["audit", "verify", "--data", hub.dataPath])
        #expect(verified.status == 0, "\(verified.text) \(verified.stderr)")
    }
}
