import Foundation
import LGSPCore
import PostgresNIO

/// Connection history and last activity (`PresenceStore`): one table every node writes, so presence is
/// cluster-wide; `closeConnections(node:at:)` closes what a stopped or dead node held.
extension PostgresStore: PresenceStore {
    public func connected(_ connection: Connection) async throws {
        try await run(
            """
            INSERT INTO connections (id, app_id, unit_code, channel, node, address, connected_at, disconnected_at)
            VALUES (\(connection.id), \(connection.appID), \(connection.unit.rawValue), \(connection.channel.rawValue), \(connection.node),
                \(connection.address), \(connection.connectedAt.millis), \(connection.disconnectedAt?.millis))
            """)
    }

    public func disconnected(id: String, at: Date) async throws {
        try await transaction { tx in
            try await tx.run("UPDATE connections SET disconnected_at = \(at.millis) WHERE id = \(id) AND disconnected_at IS NULL")
            try await tx.run(
                """
                UPDATE apps SET last_seen_at = GREATEST(COALESCE(last_seen_at, 0), \(at.millis))
                WHERE id = (SELECT app_id FROM connections WHERE id = \(id))
                """)
        }
    }

    public func closeConnections(node: String, at: Date) async throws {
        try await transaction { tx in
            // The apps were last seen when their streams ended with the node.
            try await tx.run(
                """
                UPDATE apps SET last_seen_at = GREATEST(COALESCE(last_seen_at, 0), \(at.millis))
                WHERE id IN (SELECT app_id FROM connections WHERE node = \(node) AND disconnected_at IS NULL)
                """)
            try await tx.run("UPDATE connections SET disconnected_at = \(at.millis) WHERE node = \(node) AND disconnected_at IS NULL")
        }
    }

    public func touch(appID: String, at: Date) async throws {
        try await run("UPDATE apps SET last_seen_at = GREATEST(COALESCE(last_seen_at, 0), \(at.millis)) WHERE id = \(appID)")
    }

    public func lastSeen(appID: String) async throws -> Date? {
        try await rows("SELECT last_seen_at FROM apps WHERE id = \(appID)").first?.optionalDate("last_seen_at")
    }

    public func openConnections(appID: String?) async throws -> [Connection] {
        if let appID {
            return try await rows("SELECT * FROM connections WHERE disconnected_at IS NULL AND app_id = \(appID) ORDER BY connected_at")
                .map(Self.connection)
        }
        return try await rows("SELECT * FROM connections WHERE disconnected_at IS NULL ORDER BY connected_at").map(Self.connection)
    }

    public func connections(unit: UnitCode?, appID: String?, since: Date, until: Date) async throws -> [Connection] {
        var binds = PostgresBindings()
        binds.append(until.millis)
        binds.append(since.millis)
        var sql = "SELECT * FROM connections WHERE connected_at < $1 AND (disconnected_at IS NULL OR disconnected_at > $2)"
        if let unit {
            binds.append(unit.rawValue)
            sql += " AND unit_code = $\(binds.count)"
        }
        if let appID {
            binds.append(appID)
            sql += " AND app_id = $\(binds.count)"
        }
        return try await rows(PostgresQuery(unsafeSQL: sql + " ORDER BY connected_at, id", binds: binds)).map(Self.connection)
    }

    static func connection(_ row: PGRow) throws -> Connection {
        Connection(
            id: try row.string("id"), appID: try row.string("app_id"), unit: try stored(UnitCode(lenient: try row.string("unit_code")), "connection unit"),
            channel: try stored(ConnectionChannel(rawValue: try row.string("channel")), "connection channel"), node: try row.string("node"),
            address: try row.string("address"), connectedAt: try row.date("connected_at"), disconnectedAt: try row.optionalDate("disconnected_at"))
    }
}
