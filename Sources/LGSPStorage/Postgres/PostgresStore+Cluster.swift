import Foundation
import LGSPCore
import PostgresNIO

/// Node and task leases in PostgreSQL. Each compare-and-set is one statement: `INSERT … ON CONFLICT
/// DO UPDATE … WHERE` takes the row lock and re-checks the condition on the newest row version, and
/// `DELETE … WHERE … RETURNING` touches a row only if it still qualifies; so of concurrent callers on
/// any nodes exactly one wins, like `SELECT … FOR UPDATE SKIP LOCKED` would give one claimer each row.
extension PostgresStore: ClusterStore {
    public func renewNode(_ node: String, startedAt: Date, until: Date) async throws {
        try await run(
            """
            INSERT INTO cluster_nodes (node, started_at, lease_until) VALUES (\(node), \(startedAt.millis), \(until.millis))
            ON CONFLICT (node) DO UPDATE SET started_at = EXCLUDED.started_at, lease_until = EXCLUDED.lease_until
            """)
    }

    public func nodes() async throws -> [NodeLease] {
        try await rows("SELECT node, started_at, lease_until FROM cluster_nodes ORDER BY node").map(Self.nodeLease)
    }

    public func expiredNodes(at now: Date) async throws -> [NodeLease] {
        try await rows("SELECT node, started_at, lease_until FROM cluster_nodes WHERE lease_until < \(now.millis) ORDER BY lease_until")
            .map(Self.nodeLease)
    }

    public func reapNode(_ node: String, at now: Date) async throws -> Bool {
        try await rows("DELETE FROM cluster_nodes WHERE node = \(node) AND lease_until < \(now.millis) RETURNING 1").count == 1
    }

    public func claim(_ task: String, node: String, until: Date, at now: Date) async throws -> Bool {
        try await rows(
            """
            INSERT INTO cluster_leases (task, holder, lease_until) VALUES (\(task), \(node), \(until.millis))
            ON CONFLICT (task) DO UPDATE SET holder = EXCLUDED.holder, lease_until = EXCLUDED.lease_until
            WHERE cluster_leases.holder = EXCLUDED.holder OR cluster_leases.lease_until < \(now.millis)
            RETURNING 1
            """
        ).count == 1
    }

    public func release(_ task: String, node: String) async throws {
        try await run("DELETE FROM cluster_leases WHERE task = \(task) AND holder = \(node)")
    }

    public func releaseAll(holder node: String) async throws {
        try await run("DELETE FROM cluster_leases WHERE holder = \(node)")
    }

    public func holder(of task: String, at now: Date) async throws -> String? {
        try await rows("SELECT holder FROM cluster_leases WHERE task = \(task) AND lease_until >= \(now.millis)").first?.string("holder")
    }

    static func nodeLease(_ row: PGRow) throws -> NodeLease {
        NodeLease(node: try row.string("node"), startedAt: try row.date("started_at"), until: try row.date("lease_until"))
    }
}

extension PostgresMigrations {
    /// Several nodes on one database: each node's lease, and task leases (which node runs a sweep,
    /// which node pushes an app's webhook). Small tables, read by primary key.
    static let clusterLeases = [
        "CREATE TABLE cluster_nodes (node text PRIMARY KEY, started_at bigint NOT NULL, lease_until bigint NOT NULL)",
        "CREATE TABLE cluster_leases (task text PRIMARY KEY, holder text NOT NULL, lease_until bigint NOT NULL)",
        "CREATE INDEX cluster_leases_holder ON cluster_leases (holder)",
    ]
}
