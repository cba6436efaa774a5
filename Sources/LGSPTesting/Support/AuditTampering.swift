import Foundation

/// Changes a stored audit entry behind the hub's back with the `sqlite3` tool, dropping the
/// append-only trigger first, as an intruder holding the file could.
public enum AuditTampering {
    public static func setTarget(databasePath: String, sequence: Int64, target: String) async throws {
        let quoted = target.replacingOccurrences(of: "'", with: "''")
        try await run(databasePath, "DROP TRIGGER IF EXISTS audit_entries_append_only_update; UPDATE audit_entries SET target = '\(quoted)' WHERE sequence = \(sequence);")
    }

    /// Flips one bit of one byte of the entry's `target`.
    public static func flipByte(databasePath: String, sequence: Int64) async throws -> (before: String, after: String) {
        let read = try await run(databasePath, "SELECT target FROM audit_entries WHERE sequence = \(sequence);")
        var bytes = Array(read.text.trimmingCharacters(in: .newlines).utf8)
        guard !bytes.isEmpty else { throw HubProcessError(message: "audit entry \(sequence) has no target to change") }
        let before = String(decoding: bytes, as: UTF8.self)
        bytes[bytes.count / 2] ^= 0x01
        let after = String(decoding: bytes, as: UTF8.self)
        try await setTarget(databasePath: databasePath, sequence: sequence, target: after)
        return (before, after)
    }

    @discardableResult
    static func run(_ databasePath: String, _ sql: String) async throws -> ExternalTools.Result {
        guard let sqlite = ExternalTools.which("sqlite3") else {
            throw HubProcessError(message: "sqlite3 is not installed (apt-get install sqlite3)")
        }
        let result = try await ExternalTools.run(sqlite, [databasePath, sql])
        guard result.status == 0 else { throw HubProcessError(message: "sqlite3 failed: \(result.stderr)") }
        return result
    }
}
