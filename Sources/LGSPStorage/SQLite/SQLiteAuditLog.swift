import Foundation
import GRDB
import LGSPCore

/// The audit log in its own SQLite file (`audit.sqlite` in the data folder, WAL mode): its writes
/// never queue behind the exchange's, and `lgsp audit verify` reads it without the hub or the
/// master key. Triggers refuse UPDATE and DELETE; the hash chain catches whoever drops them.
///
/// Hashes are stored as lower-case hex so that `sqlite3` shows them as people compare them.
public final class SQLiteAuditLog: AuditLog {
    let pool: DatabasePool

    /// Opens (creating if needed) the audit database at `path`.
    public init(path: String, synchronous: String = "NORMAL") throws {
        var configuration = Configuration()
        configuration.busyMode = .timeout(30)
        configuration.maximumReaderCount = 4
        let mode = synchronous.uppercased() == "FULL" ? "FULL" : "NORMAL"
        configuration.prepareDatabase { db in try db.execute(sql: "PRAGMA synchronous = \(mode)") }
        pool = try DatabasePool(path: path, configuration: configuration)
        try Self.migrator.migrate(pool)
    }

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-audit-log") { db in
            try db.execute(sql: """
                CREATE TABLE audit_entries (
                    sequence INTEGER PRIMARY KEY,
                    at INTEGER NOT NULL, -- Unix milliseconds
                    actor TEXT NOT NULL,
                    action TEXT NOT NULL,
                    target TEXT NOT NULL,
                    outcome TEXT NOT NULL,
                    source TEXT NOT NULL,
                    request_id TEXT NOT NULL,
                    hash TEXT NOT NULL -- hex SHA-256(previous hash ‖ canonical entry)
                );
                CREATE INDEX audit_entries_at ON audit_entries(at);
                CREATE TABLE audit_checkpoints (
                    sequence INTEGER NOT NULL,
                    hash TEXT NOT NULL,
                    at INTEGER NOT NULL,
                    public_key TEXT NOT NULL, -- hex Ed25519
                    signature TEXT NOT NULL -- hex
                );
                CREATE TRIGGER audit_entries_append_only_update BEFORE UPDATE ON audit_entries
                    BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
                CREATE TRIGGER audit_entries_append_only_delete BEFORE DELETE ON audit_entries
                    BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
                CREATE TRIGGER audit_checkpoints_append_only_update BEFORE UPDATE ON audit_checkpoints
                    BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
                CREATE TRIGGER audit_checkpoints_append_only_delete BEFORE DELETE ON audit_checkpoints
                    BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
                """)
        }
        return migrator
    }

    public func append(_ records: [AuditRecord]) async throws -> [AuditEntry] {
        guard !records.isEmpty else { return [] }
        return try await pool.writeWithoutTransaction { db in
            var stored: [AuditEntry] = []
            // IMMEDIATE: the head read and the inserts hold the write lock together, even if another
            // process opened the file.
            try db.inTransaction(.immediate) {
                let head = try db.row("SELECT sequence, hash FROM audit_entries ORDER BY sequence DESC LIMIT 1")
                var sequence: Int64 = head.flatMap { Int64.fromDatabaseValue($0["sequence"]) } ?? 0
                var previous = head.flatMap { String.fromDatabaseValue($0["hash"]) }.map(Data.init(auditHex:)) ?? AuditEntry.genesisHash
                for record in records {
                    sequence += 1
                    let entry = AuditEntry.chain(previous: previous, sequence: sequence, record: record.roundedToMillis)
                    try db.run(
                        "INSERT INTO audit_entries (sequence, at, actor, action, target, outcome, source, request_id, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        [
                            sequence, record.at.auditMillis, record.actor, record.action, record.target, record.outcome, record.source, record.requestID,
                            entry.hash.auditHex,
                        ])
                    stored.append(entry)
                    previous = entry.hash
                }
                return .commit
            }
            return stored
        }
    }

    public func entries(from: Date?, to: Date?, after: Int64, limit: Int) async throws -> [AuditEntry] {
        try await pool.read { db in
            try db.rows(
                "SELECT * FROM audit_entries WHERE sequence > ? AND at >= ? AND at < ? ORDER BY sequence LIMIT ?",
                [after, from?.auditMillis ?? Int64.min, to?.auditMillis ?? Int64.max, max(0, limit)]
            ).map(Self.entry)
        }
    }

    public func head() async throws -> AuditEntry? {
        try await pool.read { db in try db.row("SELECT * FROM audit_entries ORDER BY sequence DESC LIMIT 1").map(Self.entry) }
    }

    public func addCheckpoint(_ checkpoint: AuditCheckpoint) async throws {
        try await pool.write { db in
            try db.run(
                "INSERT INTO audit_checkpoints (sequence, hash, at, public_key, signature) VALUES (?, ?, ?, ?, ?)",
                [checkpoint.sequence, checkpoint.hash.auditHex, checkpoint.at.auditMillis, checkpoint.publicKey.auditHex, checkpoint.signature.auditHex])
        }
    }

    public func checkpoints() async throws -> [AuditCheckpoint] {
        try await pool.read { db in
            try db.rows("SELECT * FROM audit_checkpoints ORDER BY rowid").map { row in
                AuditCheckpoint(
                    sequence: Int64.fromDatabaseValue(row["sequence"]) ?? -1, hash: Data(auditHex: Self.text(row, "hash")),
                    at: Date(millis: Int64.fromDatabaseValue(row["at"]) ?? 0), publicKey: Data(auditHex: Self.text(row, "public_key")),
                    signature: Data(auditHex: Self.text(row, "signature")))
            }
        }
    }

    /// Reads a stored entry as it is, whatever was done to the file: a value of the wrong type reads
    /// as something that cannot match its hash, so verification names the entry instead of crashing.
    static func entry(_ row: Row) -> AuditEntry {
        let record = AuditRecord(
            at: Int64.fromDatabaseValue(row["at"]).map(Date.init(millis:)) ?? .distantPast, actor: text(row, "actor"), action: text(row, "action"),
            target: text(row, "target"), outcome: text(row, "outcome"), source: text(row, "source"), requestID: text(row, "request_id"))
        return AuditEntry(sequence: Int64.fromDatabaseValue(row["sequence"]) ?? -1, record: record, hash: Data(auditHex: text(row, "hash")))
    }

    static func text(_ row: Row, _ column: String) -> String {
        let value: DatabaseValue = row[column]
        if let text = String.fromDatabaseValue(value) { return text }
        if let data = Data.fromDatabaseValue(value) { return String(decoding: data, as: UTF8.self) + "\u{FFFD}" }
        return "\u{FFFD}"
    }
}

extension AuditRecord {
    var roundedToMillis: AuditRecord {
        var copy = self
        copy.at = at.auditRounded
        return copy
    }
}

extension Data {
    /// Bytes from hex; invalid text gives bytes that match no hash.
    init(auditHex text: String) {
        var bytes: [UInt8] = []
        var index = text.startIndex
        while index < text.endIndex, let end = text.index(index, offsetBy: 2, limitedBy: text.endIndex) {
            guard let byte = UInt8(text[index..<end], radix: 16) else { self = Data([0xFF]); return }
            bytes.append(byte)
            index = end
        }
        self = Data(bytes)
    }
}
