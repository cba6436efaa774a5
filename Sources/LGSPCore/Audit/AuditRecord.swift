import Crypto
import Foundation

/// One thing that happened, as the audit log records it (Article 14.5): who, what, on what, when,
/// from where, with which outcome. Never content, secrets or signatures.
public struct AuditRecord: Sendable, Hashable, Codable {
    public var at: Date
    /// Who: `app:<accessKey>`, `admin:<accessKey>`, `system` (the hub's own sweeps), or
    /// `anonymous` / `claimed:<accessKey>` when authentication did not succeed.
    public var actor: String
    /// What, as a dotted name: `admin.units.create`, `packet.accepted`, `auth.failure`, `service.call`.
    public var action: String
    /// On what: a path, a packet id with its delivery, a unit code.
    public var target: String
    /// `ok`, or the hub's error code (`auth.invalid_signature`), or `http.<status>`.
    public var outcome: String
    /// The client's address, empty for the hub's own work.
    public var source: String
    /// The request id (`X-Request-Id`), empty for the hub's own work.
    public var requestID: String

    public init(at: Date, actor: String, action: String, target: String, outcome: String = "ok", source: String = "", requestID: String = "") {
        self.at = at
        self.actor = actor
        self.action = action
        self.target = target
        self.outcome = outcome
        self.source = source
        self.requestID = requestID
    }
}

/// A stored audit record: its place in the chain and its hash.
public struct AuditEntry: Sendable, Hashable {
    /// 1, 2, 3… with no gaps.
    public var sequence: Int64
    public var record: AuditRecord
    /// `SHA-256(previous entry's hash ‖ canonical(entry))`; the entry before the first has 32 zero bytes.
    public var hash: Data

    public init(sequence: Int64, record: AuditRecord, hash: Data) {
        self.sequence = sequence
        self.record = record
        self.hash = hash
    }

    /// The hash "before" entry 1.
    public static let genesisHash = Data(repeating: 0, count: 32)

    /// The canonical bytes of an entry: every field as `<decimal byte length>:<UTF-8 bytes>`, in the
    /// order sequence, time (Unix milliseconds), actor, action, target, outcome, source, request id.
    /// Length prefixes make the encoding unambiguous whatever the fields contain.
    public static func canonical(sequence: Int64, record: AuditRecord) -> Data {
        var data = Data()
        let fields = [
            String(sequence), String(record.at.auditMillis), record.actor, record.action, record.target, record.outcome, record.source,
            record.requestID,
        ]
        for field in fields {
            let bytes = Data(field.utf8)
            data.append(contentsOf: Array("\(bytes.count):".utf8))
            data.append(bytes)
        }
        return data
    }

    /// Chains a record after `previous` (the previous entry's hash).
    public static func chain(previous: Data, sequence: Int64, record: AuditRecord) -> AuditEntry {
        var hasher = SHA256()
        hasher.update(data: previous)
        hasher.update(data: canonical(sequence: sequence, record: record))
        return AuditEntry(sequence: sequence, record: record, hash: Data(hasher.finalize()))
    }
}

extension Date {
    /// Unix milliseconds: the audit log's time resolution (what is stored and hashed).
    public var auditMillis: Int64 { Int64((timeIntervalSince1970 * 1000).rounded()) }

    /// The time at a whole millisecond, as the audit log stores it.
    public var auditRounded: Date { Date(timeIntervalSince1970: TimeInterval(auditMillis) / 1000) }
}
