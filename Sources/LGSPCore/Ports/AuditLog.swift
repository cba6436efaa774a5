import Foundation

/// The append-only, hash-chained record of admin actions and integration activity (Article 14.5).
///
/// Contract (checked by `AuditLogConformance` in LGSPTesting for every implementation):
/// - `append` stores the records in the given order in one transaction, each as the next sequence
///   number (1, 2, 3… with no gaps, also across several nodes) chained to the previous entry with
///   `AuditEntry.chain`; it returns the stored entries. Times are kept to the millisecond.
/// - Nothing ever updates or deletes an entry; a changed entry is found by `AuditChainVerifier`.
/// - `entries` returns entries with `from <= at < to` and `sequence > after`, by sequence, at most `limit`.
/// - Checkpoints are stored as given and returned oldest first.
public protocol AuditLog: Sendable {
    func append(_ records: [AuditRecord]) async throws -> [AuditEntry]
    func entries(from: Date?, to: Date?, after: Int64, limit: Int) async throws -> [AuditEntry]
    /// The newest entry, nil while the log is empty.
    func head() async throws -> AuditEntry?
    func addCheckpoint(_ checkpoint: AuditCheckpoint) async throws
    func checkpoints() async throws -> [AuditCheckpoint]
}

extension AuditLog {
    /// Reads the whole log page by page and checks the chain and every checkpoint.
    ///
    /// - Parameter publicKey: the checkpoint key to trust; nil trusts the key each checkpoint names.
    public func verify(publicKey: Data? = nil) async throws -> AuditVerification {
        var verifier = AuditChainVerifier(checkpoints: try await checkpoints(), publicKey: publicKey)
        var after: Int64 = 0
        while true {
            let page = try await entries(from: nil, to: nil, after: after, limit: 1000)
            for entry in page where !verifier.check(entry) { return verifier.result }
            guard let last = page.last else { break }
            after = last.sequence
        }
        return verifier.finish()
    }
}
