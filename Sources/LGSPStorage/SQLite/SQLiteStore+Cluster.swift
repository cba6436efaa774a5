import Foundation
import GRDB
import LGSPCore

/// Node and task leases in SQLite. Several `lgsp serve` processes may share one SQLite file on one
/// machine (WAL mode); every write below is one transaction, which SQLite serialises, so each
/// compare-and-set has exactly one winner.
extension SQLiteStore: ClusterStore {
    public func renewNode(_ node: String, startedAt: Date, until: Date) async throws {
        try await writing { db in
            try db.run(
                """
                INSERT INTO cluster_nodes (node, started_at, lease_until) VALUES (?, ?, ?)
                ON CONFLICT (node) DO UPDATE SET started_at = excluded.started_at, lease_until = excluded.lease_until
                """, [node, startedAt.millis, until.millis])
        }
    }

    public func nodes() async throws -> [NodeLease] {
        try await reading { db in try db.rows("SELECT * FROM cluster_nodes ORDER BY node").map(Self.nodeLease) }
    }

    public func expiredNodes(at now: Date) async throws -> [NodeLease] {
        try await reading { db in
            try db.rows("SELECT * FROM cluster_nodes WHERE lease_until < ? ORDER BY lease_until", [now.millis]).map(Self.nodeLease)
        }
    }

    public func reapNode(_ node: String, at now: Date) async throws -> Bool {
        try await writing { db in
            try db.run("DELETE FROM cluster_nodes WHERE node = ? AND lease_until < ?", [node, now.millis])
            return db.changesCount == 1
        }
    }

    public func claim(_ task: String, node: String, until: Date, at now: Date) async throws -> Bool {
        try await writing { db in
            try db.run(
                """
                INSERT INTO cluster_leases (task, holder, lease_until) VALUES (?, ?, ?)
                ON CONFLICT (task) DO UPDATE SET holder = excluded.holder, lease_until = excluded.lease_until
                WHERE cluster_leases.holder = excluded.holder OR cluster_leases.lease_until < ?
                """, [task, node, until.millis, now.millis])
            return db.changesCount == 1
        }
    }

    public func release(_ task: String, node: String) async throws {
        try await writing { db in try db.run("DELETE FROM cluster_leases WHERE task = ? AND holder = ?", [task, node]) }
    }

    public func releaseAll(holder node: String) async throws {
        try await writing { db in try db.run("DELETE FROM cluster_leases WHERE holder = ?", [node]) }
    }

    public func holder(of task: String, at now: Date) async throws -> String? {
        try await reading { db in
            try db.row("SELECT holder FROM cluster_leases WHERE task = ? AND lease_until >= ?", [task, now.millis])?["holder"]
        }
    }

    static func nodeLease(_ row: Row) throws -> NodeLease {
        NodeLease(
            node: row["node"], startedAt: try stored(row.date("started_at"), "node start"), until: try stored(row.date("lease_until"), "node lease"))
    }
}
