import Foundation
import LGSPCore
import LGSPStorage
import LGSPTesting
import Testing

/// The store conformance suites `SQLiteStoreConformanceTests` runs, on a real PostgreSQL server
/// (`LGSP_TEST_POSTGRES_URL`), one fresh database per check.
@Suite("Postgres store conformance")
struct PostgresStoreConformanceTests {
    static func withFixture(_ body: (StoreFixture) async throws -> Void) async throws {
        guard PostgresTestStore.available() else { return }
        try await PostgresTestStore.with { store, _ in
            try await body(StoreFixture(directory: store, packets: store) { try await store.storedBytes() })
        }
    }

    @Test("directory store contract (PostgreSQL)", arguments: DirectoryStoreConformance.checks)
    func directory(_ check: ConformanceCheck<StoreFixture>) async throws {
        try await Self.withFixture { try await check.run($0) }
    }

    @Test("packet store contract (PostgreSQL)", arguments: PacketStoreConformance.checks)
    func packets(_ check: ConformanceCheck<StoreFixture>) async throws {
        try await Self.withFixture { try await check.run($0) }
    }

    @Test("delivery trace store contract (PostgreSQL)", arguments: DeliveryTraceStoreConformance.checks)
    func traces(_ check: ConformanceCheck<StoreFixture>) async throws {
        try await Self.withFixture { try await check.run($0) }
    }

    @Test("report store contract (PostgreSQL)", arguments: ReportStoreConformance.checks)
    func reports(_ check: ConformanceCheck<ReportStoreFixture>) async throws {
        guard PostgresTestStore.available() else { return }
        try await PostgresTestStore.with { store, _ in
            try await check.run(ReportStoreFixture(directory: store, packets: store, reports: store))
        }
    }

    @Test("account store contract (PostgreSQL)", arguments: AccountStoreConformance.checks)
    func accounts(_ check: ConformanceCheck<AccountStoreFixture>) async throws {
        guard PostgresTestStore.available() else { return }
        try await PostgresTestStore.with { store, _ in
            try await check.run(AccountStoreFixture(store: store) { try await store.storedBytes() })
        }
    }

    @Test("audit log contract (PostgreSQL)", arguments: AuditLogConformance.checks)
    func audit(_ check: ConformanceCheck<AuditLogFixture>) async throws {
        guard PostgresTestStore.available() else { return }
        try await PostgresTestStore.with { store, database in
            try await check.run(
                AuditLogFixture(log: PostgresAuditLog(store: store)) { sequence, target in
                    // As an intruder with the database's owner rights would: drop the trigger, then change the row.
                    let quoted = target.replacingOccurrences(of: "'", with: "''")
                    try await database.execute(
                        "DROP TRIGGER IF EXISTS audit_entries_append_only ON audit_entries; UPDATE audit_entries SET target = '\(quoted)' WHERE sequence = \(sequence)")
                })
        }
    }
}
