import Foundation
import LGSPCore

/// `POST /v1/admin/maintenance` and `PUT /v1/admin/maintenance/{id}`: a maintenance window to announce.
public struct MaintenanceRequest: Codable, Sendable, Hashable {
    public var title: String
    /// In Vietnamese.
    public var message: String
    /// The same in English (optional).
    public var messageEn: String?
    public var startsAt: Date
    public var endsAt: Date
    public var services: [String]?
    public var units: [String]?

    public init(title: String, message: String, messageEn: String? = nil, startsAt: Date, endsAt: Date, services: [String]? = nil, units: [String]? = nil) {
        self.title = title
        self.message = message
        self.messageEn = messageEn
        self.startsAt = startsAt
        self.endsAt = endsAt
        self.services = services
        self.units = units
    }

    enum CodingKeys: String, CodingKey, CaseIterable { case title, message, messageEn, startsAt, endsAt, services, units }

    public init(from decoder: any Decoder) throws {
        try StrictKeys.check(decoder, allowed: Set(CodingKeys.allCases.map(\.rawValue)))
        let container = try decoder.container(keyedBy: CodingKeys.self)
        title = try container.decode(String.self, forKey: .title)
        message = try container.decode(String.self, forKey: .message)
        messageEn = try container.decodeIfPresent(String.self, forKey: .messageEn)
        startsAt = try container.decode(Date.self, forKey: .startsAt)
        endsAt = try container.decode(Date.self, forKey: .endsAt)
        services = try container.decodeIfPresent([String].self, forKey: .services)
        units = try container.decodeIfPresent([String].self, forKey: .units)
    }

    public var draft: MaintenanceDraft {
        MaintenanceDraft(
            title: title, message: message, messageEnglish: messageEn, startsAt: startsAt, endsAt: endsAt, services: services ?? [], units: units ?? [])
    }
}

/// `DELETE /v1/admin/maintenance/{id}` (optional body): why the window is cancelled.
public struct CancelMaintenanceRequest: Codable, Sendable, Hashable {
    public var reason: String?

    public init(reason: String? = nil) { self.reason = reason }

    public init(from decoder: any Decoder) throws {
        try StrictKeys.check(decoder, allowed: ["reason"])
        reason = try decoder.container(keyedBy: CodingKeys.self).decodeIfPresent(String.self, forKey: .reason)
    }
}

/// A maintenance window on the wire.
public struct MaintenanceBody: Codable, Sendable, Hashable {
    public var id: String
    public var title: String
    public var message: String
    public var messageEn: String?
    public var startsAt: Date
    public var endsAt: Date
    public var services: [String]
    public var units: [UnitCode]
    /// `upcoming`, `ongoing`, `ended` or `cancelled`, at the time of the answer.
    public var phase: MaintenanceWindow.Phase
    public var announcedAt: Date
    public var announcedBy: String
    public var updatedAt: Date?
    public var cancelledAt: Date?
    public var cancelledBy: String?
    public var cancelReason: String?

    public init(_ window: MaintenanceWindow, now: Date) {
        id = window.id
        title = window.title
        message = window.message
        messageEn = window.messageEnglish
        startsAt = window.startsAt
        endsAt = window.endsAt
        services = window.services
        units = window.units
        phase = window.phase(at: now)
        announcedAt = window.announcedAt
        announcedBy = window.announcedBy
        updatedAt = window.updatedAt
        cancelledAt = window.cancelledAt
        cancelledBy = window.cancelledBy
        cancelReason = window.cancelReason
    }
}

/// `GET /v1/maintenance`, `GET /v1/admin/maintenance`.
public struct MaintenanceListResponse: Codable, Sendable {
    public var items: [MaintenanceBody]

    public init(items: [MaintenanceBody]) { self.items = items }
}

/// `POST /v1/admin/incidents`.
public struct OpenIncidentRequest: Codable, Sendable, Hashable {
    public var title: String
    /// `minor`, `major` or `critical`.
    public var severity: String
    /// What is known so far (optional; the title when absent).
    public var text: String?

    public init(title: String, severity: String, text: String? = nil) {
        self.title = title
        self.severity = severity
        self.text = text
    }

    enum CodingKeys: String, CodingKey, CaseIterable { case title, severity, text }

    public init(from decoder: any Decoder) throws {
        try StrictKeys.check(decoder, allowed: Set(CodingKeys.allCases.map(\.rawValue)))
        let container = try decoder.container(keyedBy: CodingKeys.self)
        title = try container.decode(String.self, forKey: .title)
        severity = try container.decode(String.self, forKey: .severity)
        text = try container.decodeIfPresent(String.self, forKey: .text)
    }
}

/// `POST /v1/admin/incidents/{id}/actions`: what was done or found.
public struct IncidentActionRequest: Codable, Sendable, Hashable {
    public var text: String

    public init(text: String) { self.text = text }

    public init(from decoder: any Decoder) throws {
        try StrictKeys.check(decoder, allowed: ["text"])
        text = try decoder.container(keyedBy: CodingKeys.self).decode(String.self, forKey: .text)
    }
}

/// `POST /v1/admin/incidents/{id}/resolve`: what fixed it.
public struct ResolveIncidentRequest: Codable, Sendable, Hashable {
    public var resolution: String

    public init(resolution: String) { self.resolution = resolution }

    public init(from decoder: any Decoder) throws {
        try StrictKeys.check(decoder, allowed: ["resolution"])
        resolution = try decoder.container(keyedBy: CodingKeys.self).decode(String.self, forKey: .resolution)
    }
}

/// One step of an incident on the wire.
public struct IncidentActionBody: Codable, Sendable, Hashable {
    /// `opened`, `note` or `resolved`.
    public var kind: String
    public var at: Date
    public var by: String
    public var text: String
    /// The audit entry recording this step.
    public var auditSequence: Int64?

    public init(_ action: IncidentAction) {
        kind = action.kind.rawValue
        at = action.at
        by = action.by
        text = action.text
        auditSequence = action.auditSequence
    }
}

/// An incident on the wire; `audit` (in `GET /v1/admin/incidents/{id}` only) holds the audit entries its steps point to.
public struct IncidentBody: Codable, Sendable, Hashable {
    public var id: Int64
    public var title: String
    public var severity: String
    /// `open` or `resolved`.
    public var status: String
    public var openedAt: Date
    public var openedBy: String
    public var resolvedAt: Date?
    public var resolvedBy: String?
    public var resolution: String?
    public var actions: [IncidentActionBody]
    public var audit: [AuditEntryBody]?

    public init(_ incident: Incident, audit: [AuditEntry]? = nil) {
        id = incident.id
        title = incident.title
        severity = incident.severity.rawValue
        status = incident.isResolved ? "resolved" : "open"
        openedAt = incident.openedAt
        openedBy = incident.openedBy
        resolvedAt = incident.resolvedAt
        resolvedBy = incident.resolvedBy
        resolution = incident.resolution
        actions = incident.actions.map(IncidentActionBody.init)
        self.audit = audit?.map(AuditEntryBody.init)
    }
}

/// `GET /v1/admin/incidents`.
public struct IncidentListResponse: Codable, Sendable {
    public var items: [IncidentBody]

    public init(items: [IncidentBody]) { self.items = items }
}
