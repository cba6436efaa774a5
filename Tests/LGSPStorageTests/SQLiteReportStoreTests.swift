import Foundation
import GRDB
import LGSPCore
import LGSPTesting
import Testing

@testable import LGSPStorage

/// The report aggregates on a real SQLite file: the `ReportStore` contract, and that every report
/// statement reads through an index (`v6-report-indexes`) rather than scanning a table.
@Suite("SQLite report store")
struct SQLiteReportStoreTests {
    @Test("report store contract", arguments: ReportStoreConformance.checks)
    func contract(_ check: ConformanceCheck<ReportStoreFixture>) async throws {
        let folder = try TemporaryFolder("lgsp-sqlite-report")
        defer { folder.remove() }
        let store = try SQLiteStore(path: folder.path + "/lgsp.sqlite", masterKey: .generate())
        try await check.run(ReportStoreFixture(directory: store, packets: store, reports: store))
    }

    @Test("no report statement scans the packets or deliveries table", arguments: ReportSQL.allCases, [false, true])
    func indexed(_ statement: ReportSQL, filtered: Bool) async throws {
        let folder = try TemporaryFolder("lgsp-sqlite-report")
        defer { folder.remove() }
        let path = folder.path + "/lgsp.sqlite"
        _ = try SQLiteStore(path: path, masterKey: .generate())
        let queue = try DatabaseQueue(path: path)
        let sql = statement.text(filtered: filtered)
        let placeholders = sql.filter { $0 == "?" }.count
        let plan = try await queue.read { db in
            try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + sql, arguments: StatementArguments(Array(repeating: 0, count: placeholders)))
                .map { $0["detail"] as String }
        }
        let scans = plan.filter { detail in
            // "SCAN d" or "SCAN packets" without an index is a full table scan; a search, a covering-index
            // scan or a scan of a subquery's (already filtered) rows is fine.
            detail.hasPrefix("SCAN") && !detail.contains("INDEX") && !detail.lowercased().contains("subquery")
        }
        #expect(scans.isEmpty, "\(statement) (filtered: \(filtered)): \(plan.joined(separator: " | "))")
    }
}
