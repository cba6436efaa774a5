import Foundation
import LGSPCore

/// One audit entry on the wire (`GET /v1/admin/audit`).
public struct AuditEntryBody: Codable, Sendable, Hashable {
    public var sequence: Int64
    public var at: Date
    public var actor: String
    public var action: String
    public var target: String
    public var outcome: String
    public var source: String
    public var requestId: String
    /// Hex SHA-256 chaining this entry to the previous one.
    public var hash: String

    public init(_ entry: AuditEntry) {
        sequence = entry.sequence
        at = entry.record.at
        actor = entry.record.actor
        action = entry.record.action
        target = entry.record.target
        outcome = entry.record.outcome
        source = entry.record.source
        requestId = entry.record.requestID
        hash = entry.hash.auditHex
    }

    /// The columns of `lgsp audit export --csv`, in order.
    public static let csvHeader = "sequence,at,actor,action,target,outcome,source,requestId,hash"

    /// This entry as one CSV line (RFC 4180 quoting).
    public var csvLine: String {
        [String(sequence), at.isoMillis, actor, action, target, outcome, source, requestId, hash].map { field in
            field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" })
                ? "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : field
        }.joined(separator: ",")
    }
}

/// `GET /v1/admin/audit?from&to&after&limit`: one page, oldest first; `next` is the `after` of the
/// next page (absent on the last page).
public struct AuditListResponse: Codable, Sendable {
    public var items: [AuditEntryBody]
    public var next: Int64?

    public init(items: [AuditEntryBody], next: Int64?) {
        self.items = items
        self.next = next
    }
}
