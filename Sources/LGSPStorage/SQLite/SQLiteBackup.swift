import Foundation
import GRDB

/// Consistent copies of a hub's SQLite files (the SQLite online backup API), taken while the hub runs:
/// writers are not blocked, and the copy is the database as of one moment.
public enum SQLiteBackup {
    /// Copies the database at `source` into a new file at `destination` (which must not exist).
    public static func copy(from source: String, to destination: String) throws {
        var configuration = Configuration()
        configuration.readonly = true
        configuration.busyMode = .timeout(10)
        let pool = try DatabasePool(path: source, configuration: configuration)
        let copy = try DatabaseQueue(path: destination)
        try pool.backup(to: copy)
        try copy.close()
        try pool.close()
    }

    /// Checks a copied database: SQLite's own integrity check must answer "ok".
    public static func check(_ path: String) throws -> Bool {
        var configuration = Configuration()
        configuration.readonly = true
        let queue = try DatabaseQueue(path: path, configuration: configuration)
        defer { try? queue.close() }
        return try queue.read { db in try String.fetchOne(db, sql: "PRAGMA integrity_check") == "ok" }
    }
}
