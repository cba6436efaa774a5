import Foundation
import LGSPAPI
import LGSPCore

/// The audit log, for administrators.
extension LGSPClient {
    /// One page of audit entries with `from <= at < to` after sequence `after`, oldest first.
    public func auditEntries(from: Date?, to: Date?, after: Int64 = 0, limit: Int = 1000) async throws -> AuditListResponse {
        var query: [(String, String)] = [("after", String(after)), ("limit", String(limit))]
        if let from { query.append(("from", from.isoMillis)) }
        if let to { query.append(("to", to.isoMillis)) }
        return try await json(.GET, "/v1/admin/audit", query: query)
    }
}
