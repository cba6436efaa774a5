import Foundation
import GRDB
import LGSPCore

extension SQLiteStore: PresenceStore {
    public func connected(_ connection: Connection) async throws {
        try await writing { db in
            try db.run(
                """
                INSERT INTO connections (id, app_id, unit_code, channel, node, address, connected_at, disconnected_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """,
                [connection.id, connection.appID, connection.unit.rawValue, connection.channel.rawValue, connection.node, connection.address,
                 connection.connectedAt.millis, connection.disconnectedAt?.millis])
        }
    }

    public func disconnected(id: String, at: Date) async throws {
        try await writing { db in
            try db.run("UPDATE connections SET disconnected_at = ? WHERE id = ? AND disconnected_at IS NULL", [at.millis, id])
            try db.run(
                "UPDATE apps SET last_seen_at = MAX(COALESCE(last_seen_at, 0), ?) WHERE id = (SELECT app_id FROM connections WHERE id = ?)",
                [at.millis, id])
        }
    }

    public func closeConnections(node: String, at: Date) async throws {
        try await writing { db in
            // The apps were last seen when their streams ended with the node.
            try db.run(
                """
                UPDATE apps SET last_seen_at = MAX(COALESCE(last_seen_at, 0), ?)
                WHERE id IN (SELECT app_id FROM connections WHERE node = ? AND disconnected_at IS NULL)
                """, [at.millis, node])
            try db.run("UPDATE connections SET disconnected_at = ? WHERE node = ? AND disconnected_at IS NULL", [at.millis, node])
        }
    }

    public func touch(appID: String, at: Date) async throws {
        try await writing { db in
            try db.run("UPDATE apps SET last_seen_at = MAX(COALESCE(last_seen_at, 0), ?) WHERE id = ?", [at.millis, appID])
        }
    }

    public func lastSeen(appID: String) async throws -> Date? {
        try await reading { db in
            try db.row("SELECT last_seen_at FROM apps WHERE id = ?", [appID])?.date("last_seen_at")
        }
    }

    public func openConnections(appID: String?) async throws -> [Connection] {
        try await reading { db in
            if let appID {
                return try db.rows("SELECT * FROM connections WHERE disconnected_at IS NULL AND app_id = ? ORDER BY connected_at", [appID])
                    .map(Self.connection)
            }
            return try db.rows("SELECT * FROM connections WHERE disconnected_at IS NULL ORDER BY connected_at").map(Self.connection)
        }
    }

    public func connections(unit: UnitCode?, appID: String?, since: Date, until: Date) async throws -> [Connection] {
        try await reading { db in
            var sql = "SELECT * FROM connections WHERE connected_at < ? AND (disconnected_at IS NULL OR disconnected_at > ?)"
            var arguments: StatementArguments = [until.millis, since.millis]
            if let unit {
                sql += " AND unit_code = ?"
                _ = arguments.append(contentsOf: [unit.rawValue])
            }
            if let appID {
                sql += " AND app_id = ?"
                _ = arguments.append(contentsOf: [appID])
            }
            return try db.rows(sql + " ORDER BY connected_at, id", arguments).map(Self.connection)
        }
    }

    static func connection(_ row: Row) throws -> Connection {
        Connection(
            id: row["id"], appID: row["app_id"], unit: try stored(UnitCode(lenient: row["unit_code"]), "connection unit"),
            channel: try stored(ConnectionChannel(rawValue: row["channel"]), "connection channel"), node: row["node"], address: row["address"],
            connectedAt: try stored(row.date("connected_at"), "connection date"), disconnectedAt: row.date("disconnected_at"))
    }
}
