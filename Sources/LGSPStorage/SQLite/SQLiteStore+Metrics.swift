import Foundation
import GRDB
import LGSPCore

/// Figures read when `/metrics` is scraped, and the readiness probe's trivial query.
extension SQLiteStore {
    /// What the exchange holds right now, across every node sharing this database.
    public struct Figures: Sendable {
        public var packetsByState: [String: Int] = [:]
        public var deliveriesByState: [String: Int] = [:]
        /// Deliveries waiting for the hub or their destination (uploaded, ready, notified).
        public var queueDepth = 0
        /// When the longest-waiting of them reached its state.
        public var oldestWaitingSince: Date?
        public var openConnections = 0
        public var deadLetters = 0
    }

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
