import Foundation
import LGSPCore
import PostgresNIO

/// The audit log in the hub's PostgreSQL database (tables of `pg2-audit-log`), shared by every node:
/// the same hash chain and verification as `SQLiteAuditLog`. Triggers refuse UPDATE, DELETE and
/// TRUNCATE; the hash chain catches whoever drops them.
///
/// `append` locks `audit_entries` in SHARE ROW EXCLUSIVE mode for its transaction: appends from
/// several nodes queue one behind the other (readers are not blocked), so the head read and the
/// inserts see no concurrent writer and the sequence has no gaps and no forks.
public final class PostgresAuditLog: AuditLog {
    let store: PostgresStore

    /// The audit log of `store`'s database (its migrations created the tables).
    public init(store: PostgresStore) {
        self.store = store
    }

    public func append(_ records: [AuditRecord]) async throws -> [AuditEntry] {
        guard !records.isEmpty else { return [] }
        return try await store.transaction { tx in
            try await tx.run("LOCK TABLE audit_entries IN SHARE ROW EXCLUSIVE MODE")
            let head = try await tx.rows("SELECT sequence, hash FROM audit_entries ORDER BY sequence DESC LIMIT 1").first
            var sequence = try head?.int64("sequence") ?? 0
            var previous = try head.map { Data(auditHex: try $0.string("hash")) } ?? AuditEntry.genesisHash
            var entries: [AuditEntry] = []
            for record in records {
                sequence += 1
                let entry = AuditEntry.chain(previous: previous, sequence: sequence, record: record.roundedToMillis)
                entries.append(entry)
                previous = entry.hash
            }
            try await tx.run(
                """
                INSERT INTO audit_entries (sequence, at, actor, action, target, outcome, source, request_id, hash)
                SELECT * FROM unnest(\(entries.map(\.sequence))::bigint[], \(records.map(\.at.auditMillis))::bigint[],
                    \(records.map(\.actor))::text[], \(records.map(\.action))::text[], \(records.map(\.target))::text[],
                    \(records.map(\.outcome))::text[], \(records.map(\.source))::text[], \(records.map(\.requestID))::text[],
                    \(entries.map(\.hash.auditHex))::text[])
                """)
            return entries
        }
    }

    public func entries(from: Date?, to: Date?, after: Int64, limit: Int) async throws -> [AuditEntry] {
        try await store.rows(
            """
            SELECT * FROM audit_entries WHERE sequence > \(after) AND at >= \(from?.auditMillis ?? Int64.min) AND at < \(to?.auditMillis ?? Int64.max)
            ORDER BY sequence LIMIT \(Int64(max(0, limit)))
            """
        ).map(Self.entry)
    }

    public func head() async throws -> AuditEntry? {
        try await store.rows("SELECT * FROM audit_entries ORDER BY sequence DESC LIMIT 1").first.map(Self.entry)
    }

    public func addCheckpoint(_ checkpoint: AuditCheckpoint) async throws {
        try await store.run(
            """
            INSERT INTO audit_checkpoints (sequence, hash, at, public_key, signature)
            VALUES (\(checkpoint.sequence), \(checkpoint.hash.auditHex), \(checkpoint.at.auditMillis), \(checkpoint.publicKey.auditHex),
                \(checkpoint.signature.auditHex))
            """)
    }

    public func checkpoints() async throws -> [AuditCheckpoint] {
        try await store.rows("SELECT * FROM audit_checkpoints ORDER BY id").map { row in
            AuditCheckpoint(
                sequence: try row.int64("sequence"), hash: Data(auditHex: try row.string("hash")), at: Date(millis: try row.int64("at")),
                publicKey: Data(auditHex: try row.string("public_key")), signature: Data(auditHex: try row.string("signature")))
        }
    }

    /// Reads a stored entry as it is; a column that does not decode reads as text matching no hash.
    static func entry(_ row: PGRow) -> AuditEntry {
        func text(_ column: String) -> String { (try? row.string(column)) ?? "\u{FFFD}" }
        let record = AuditRecord(
            at: (try? row.int64("at")).map(Date.init(millis:)) ?? .distantPast, actor: text("actor"), action: text("action"),
            target: text("target"), outcome: text("outcome"), source: text("source"), requestID: text("request_id"))
        return AuditEntry(sequence: (try? row.int64("sequence")) ?? -1, record: record, hash: Data(auditHex: text("hash")))
    }
}
