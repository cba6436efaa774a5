import Foundation

/// The outcome of checking an audit log.
public struct AuditVerification: Sendable, Hashable {
    /// The first entry (or checkpoint) that does not match.
    public struct Break: Sendable, Hashable {
        /// The sequence of the entry where the chain breaks.
        public var sequence: Int64
        /// That entry's recorded time, when it could be read.
        public var at: Date?
        /// What differs, in words.
        public var reason: String
    }

    public var entries: Int64
    public var checkpoints: Int
    public var head: Data?
    public var broken: Break?

    public var isIntact: Bool { broken == nil }
}

/// Walks entries in sequence order and checks each against the chain and the checkpoints (pure).
public struct AuditChainVerifier: Sendable {
    private var previousHash = AuditEntry.genesisHash
    private var expected: Int64 = 1
    private var checkpoints: [Int64: [AuditCheckpoint]]
    private var checkpointCount: Int
    private let publicKey: Data?
    public private(set) var result: AuditVerification

    public init(checkpoints: [AuditCheckpoint], publicKey: Data?) {
        self.checkpoints = Dictionary(grouping: checkpoints, by: \.sequence)
        checkpointCount = checkpoints.count
        self.publicKey = publicKey
        result = AuditVerification(entries: 0, checkpoints: checkpoints.count, head: nil, broken: nil)
    }

    /// Checks the next entry; false (and `result.broken` set) at the first mismatch.
    public mutating func check(_ entry: AuditEntry) -> Bool {
        guard entry.sequence == expected else {
            let what = entry.sequence > expected ? "is missing (the next stored entry is \(entry.sequence))" : "is stored twice or out of order"
            return fail(expected, nil, "entry \(expected) \(what)")
        }
        let recomputed = AuditEntry.chain(previous: previousHash, sequence: entry.sequence, record: entry.record)
        guard recomputed.hash == entry.hash else {
            return fail(
                entry.sequence, entry.record.at,
                "the stored hash \(entry.hash.auditHex.prefix(16))… does not match the entry's fields and the previous hash (recomputed \(recomputed.hash.auditHex.prefix(16))…): the entry or its hash was changed")
        }
        for checkpoint in checkpoints[entry.sequence] ?? [] {
            guard checkpoint.hash == entry.hash else {
                return fail(entry.sequence, entry.record.at, "the checkpoint of \(checkpoint.at.isoMillis) signed another hash for this entry: the log was rewritten")
            }
            guard checkpoint.isValid(key: publicKey) else {
                return fail(entry.sequence, entry.record.at, "the checkpoint of \(checkpoint.at.isoMillis) has a signature that does not verify with the hub's checkpoint key")
            }
        }
        checkpoints[entry.sequence] = nil
        previousHash = entry.hash
        expected += 1
        result.entries = entry.sequence
        result.head = entry.hash
        return true
    }

    /// Ends the walk: checkpoints beyond the last entry mean entries were removed from the end.
    public mutating func finish() -> AuditVerification {
        if result.broken == nil, let beyond = checkpoints.keys.min() {
            _ = fail(expected, nil, "entries \(expected)…\(beyond) are missing: a checkpoint signed entry \(beyond) but the log ends at \(expected - 1)")
        }
        return result
    }

    private mutating func fail(_ sequence: Int64, _ at: Date?, _ reason: String) -> Bool {
        result.broken = .init(sequence: sequence, at: at, reason: reason)
        return false
    }
}
