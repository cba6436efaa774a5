import Foundation
import GRDB
import LGSPCore

/// The embedded default store: one SQLite file in WAL mode (GRDB `DatabasePool`), implementing
/// `DirectoryStore` and `PacketStore`.
///
/// Writes are serialised by SQLite; reads run concurrently beside them. Secrets are sealed with the
/// master key before they reach the file. Timestamps are stored as Unix milliseconds.
public final class SQLiteStore: Sendable {
    let pool: DatabasePool
    let masterKey: MasterKey

    /// Opens (creating if needed) the database at `path` and runs pending migrations.
    ///
    /// - Parameter synchronous: SQLite's `synchronous` pragma: `NORMAL` (default; survives a crash of
    ///   the process, may lose the last commits on power loss) or `FULL`.
    public init(path: String, masterKey: MasterKey, synchronous: String = "NORMAL") throws {
        var configuration = Configuration()
        configuration.busyMode = .timeout(30)
        configuration.maximumReaderCount = 8
        let mode = synchronous.uppercased() == "FULL" ? "FULL" : "NORMAL"
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = \(mode)")
            try db.execute(sql: "PRAGMA foreign_keys = ON")
        }
        pool = try DatabasePool(path: path, configuration: configuration)
        self.masterKey = masterKey
        try SQLiteMigrations.migrator.migrate(pool)
        try pool.write(Self.refreshUnitSearchText)
    }

    /// Runs a read on a reader connection without blocking the caller's thread.
    ///
    /// The `Sendable` requirement keeps GRDB's asynchronous overload in use: with a non-Sendable
    /// result (a `Row`) Swift silently picks the synchronous `read`, which blocks a thread of the
    /// small cooperative pool while it waits for a connection — enough to deadlock a busy hub.
    func reading<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        try await pool.read(body)
    }

    /// Runs a write transaction without blocking the caller's thread (see `reading`).
    func writing<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        try await pool.write(body)
    }

    /// Writes a consistent copy of the database to `path` (SQLite online backup), while the hub runs.
    public func backup(to path: String) throws {
        let destination = try DatabaseQueue(path: path)
        try pool.backup(to: destination)
    }
}

extension Date {
    /// Unix milliseconds, as stored.
    var millis: Int64 { Int64((timeIntervalSince1970 * 1000).rounded()) }

    init(millis: Int64) { self.init(timeIntervalSince1970: TimeInterval(millis) / 1000) }
}

extension Row {
    func date(_ column: String) -> Date? {
        (self[column] as Int64?).map(Date.init(millis:))
    }
}

/// Turns a stored text that failed to parse into a storage error (the file was edited or corrupted).
func stored<T>(_ value: T?, _ what: String) throws -> T {
    guard let value else {
        throw LGSPError(.storageFailure, "stored \(what) could not be read back; the database may be damaged")
    }
    return value
}
