import Foundation

/// An operational incident as the console's incident log keeps it (Article 15.6): opened, the
/// actions taken, resolved. Every step is also an audit entry; each action keeps that entry's sequence.
public struct Incident: Sendable, Hashable, Codable {
    /// 1, 2, 3… in the order incidents were opened.
    public var id: Int64
    public var title: String
    public var severity: IncidentSeverity
    public var openedAt: Date
    /// Who opened it (`admin:<accessKey>`, or the console's user).
    public var openedBy: String
    /// Oldest first; the first is the opening (`opened`), the last of a resolved incident is `resolved`.
    public var actions: [IncidentAction]
    public var resolvedAt: Date?
    public var resolvedBy: String?
    public var resolution: String?

    public init(
        id: Int64, title: String, severity: IncidentSeverity, openedAt: Date, openedBy: String, actions: [IncidentAction] = [],
        resolvedAt: Date? = nil, resolvedBy: String? = nil, resolution: String? = nil
    ) {
        self.id = id
        self.title = title
        self.severity = severity
        self.openedAt = openedAt
        self.openedBy = openedBy
        self.actions = actions
        self.resolvedAt = resolvedAt
        self.resolvedBy = resolvedBy
        self.resolution = resolution
    }

    public var isResolved: Bool { resolvedAt != nil }

    /// The audit-log target of this incident's entries: `incident <id>`.
    public static func auditTarget(_ id: Int64) -> String { "incident \(id)" }
}

/// How bad an incident is.
public enum IncidentSeverity: String, Sendable, Hashable, Codable, CaseIterable {
    /// Degraded, with a workaround.
    case minor
    /// A service or part of the exchange is down for some units.
    case major
    /// The hub or the exchange is down for everyone.
    case critical
}

/// One step of an incident: its opening, a note of what was done, or its resolution.
public struct IncidentAction: Sendable, Hashable, Codable {
    public enum Kind: String, Sendable, Hashable, Codable, CaseIterable {
        case opened, note, resolved
    }

    public var kind: Kind
    public var at: Date
    public var by: String
    public var text: String
    /// The sequence of the audit entry that records this step (the entry's target is `incident <id>`).
    public var auditSequence: Int64?

    public init(kind: Kind, at: Date, by: String, text: String, auditSequence: Int64?) {
        self.kind = kind
        self.at = at
        self.by = by
        self.text = text
        self.auditSequence = auditSequence
    }
}
