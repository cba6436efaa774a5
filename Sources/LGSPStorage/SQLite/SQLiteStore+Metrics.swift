import Foundation
import GRDB
import LGSPCore

/// Figures read when `/metrics` is scraped, and the readiness probe's trivial query.
extension SQLiteStore: HubStore {
    /// The figures of `HubStore.figures` (kept under this name for existing callers).
    public typealias Figures = StoreFigures

    public func figures() async throws -> Figures {
        try await reading { db in
            var figures = Figures()
            for row in try db.rows("SELECT state, count(*) AS n FROM packets GROUP BY state") {
                figures.packetsByState[row["state"] ?? "", default: 0] += row["n"] ?? 0
            }
            for row in try db.rows("SELECT state, count(*) AS n FROM deliveries GROUP BY state") {
                figures.deliveriesByState[row["state"] ?? "", default: 0] += row["n"] ?? 0
            }
            if let row = try db.row("SELECT count(*) AS n, min(updated_at) AS oldest FROM deliveries WHERE state IN ('uploaded', 'ready', 'notified')") {
                figures.queueDepth = row["n"] ?? 0
                figures.oldestWaitingSince = row.date("oldest")
            }
            figures.openConnections = try Int.fetchOne(db, sql: "SELECT count(*) FROM connections WHERE disconnected_at IS NULL") ?? 0
            figures.deadLetters = try Int.fetchOne(db, sql: "SELECT count(*) FROM webhook_dead_letters") ?? 0
            return figures
        }
    }

    /// Runs `SELECT 1` on a reader connection: the database answers.
    public func ping() async throws {
        _ = try await reading { db in try Int.fetchOne(db, sql: "SELECT 1") }
    }
}
