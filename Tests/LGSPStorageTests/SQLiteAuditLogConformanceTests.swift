import Foundation
import LGSPCore
import LGSPStorage
import LGSPTesting
import Testing

/// The audit-log conformance suite on the SQLite log, tampered with through the `sqlite3` tool as
/// someone holding the file would (dropping the append-only triggers first).
@Suite("Audit log (SQLite conformance)")
struct SQLiteAuditLogConformanceTests {
    @Test("audit log contract (SQLite)", arguments: AuditLogConformance.checks)
    func contract(_ check: ConformanceCheck<AuditLogFixture>) async throws {
        let folder = try TemporaryFolder("lgsp-audit")
        defer { folder.remove() }
        let path = folder.path + "/audit.sqlite"
        let log = try SQLiteAuditLog(path: path)
        try await check.run(
            AuditLogFixture(log: log) { sequence, target in
                try await AuditTampering.setTarget(databasePath: path, sequence: sequence, target: target)
            })
    }

    @Test("UPDATE and DELETE on the stored log are refused")
    func appendOnly() async throws {
        let folder = try TemporaryFolder("lgsp-audit")
        defer { folder.remove() }
        let path = folder.path + "/audit.sqlite"
        let log = try SQLiteAuditLog(path: path)
        _ = try await log.append([AuditRecord(at: Date(), actor: "system", action: "packet.expired", target: "p")])
        let sqlite = try #require(ExternalTools.which("sqlite3"), "sqlite3 is needed to write to the file directly")
        let update = try await ExternalTools.run(sqlite, [path, "UPDATE audit_entries SET target = 'q'"])
        #expect(update.status != 0 && update.stderr.contains("append-only"))
        let delete = try await ExternalTools.run(sqlite, [path, "DELETE FROM audit_entries"])
        #expect(delete.status != 0 && delete.stderr.contains("append-only"))
    }
}
