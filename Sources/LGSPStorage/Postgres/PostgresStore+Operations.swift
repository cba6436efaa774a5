import Foundation
import LGSPCore
import PostgresNIO

/// Maintenance windows and the incident log (`OperationsStore`), in the tables of `pg4-ops-maintenance-incidents`
/// (SQLite's `v11-ops-maintenance-incidents`). Incident changes lock the incident row (`FOR UPDATE`), so two
/// nodes resolving one incident at once cannot both succeed.
extension PostgresStore: OperationsStore {
    public func saveMaintenance(_ window: MaintenanceWindow) async throws {
        try await run(
            """
            INSERT INTO maintenance_windows (id, title, message, message_en, starts_at, ends_at, services, units, announced_at,
                announced_by, updated_at, cancelled_at, cancelled_by, cancel_reason)
            VALUES (\(window.id), \(window.title), \(window.message), \(window.messageEnglish), \(window.startsAt.millis), \(window.endsAt.millis),
                \(try Self.jsonText(window.services)), \(try Self.jsonText(window.units.map(\.rawValue))), \(window.announcedAt.millis),
                \(window.announcedBy), \(window.updatedAt?.millis), \(window.cancelledAt?.millis), \(window.cancelledBy), \(window.cancelReason))
            ON CONFLICT (id) DO UPDATE SET title = EXCLUDED.title, message = EXCLUDED.message, message_en = EXCLUDED.message_en,
                starts_at = EXCLUDED.starts_at, ends_at = EXCLUDED.ends_at, services = EXCLUDED.services, units = EXCLUDED.units,
                updated_at = EXCLUDED.updated_at, cancelled_at = EXCLUDED.cancelled_at, cancelled_by = EXCLUDED.cancelled_by,
                cancel_reason = EXCLUDED.cancel_reason
            """)
    }

    public func maintenanceWindow(id: String) async throws -> MaintenanceWindow? {
        try await rows("SELECT * FROM maintenance_windows WHERE id = \(id)").first.map(Self.maintenanceWindow)
    }

    public func maintenanceWindows(endingAfter: Date?, includeCancelled: Bool, limit: Int) async throws -> [MaintenanceWindow] {
        try await rows(
            """
            SELECT * FROM maintenance_windows WHERE ends_at > \(endingAfter?.millis ?? Int64.min) AND (\(includeCancelled) OR cancelled_at IS NULL)
            ORDER BY starts_at, id LIMIT \(Int64(limit))
            """
        ).map(Self.maintenanceWindow)
    }

    public func openIncident(title: String, severity: IncidentSeverity, opening: IncidentAction) async throws -> Incident {
        try await transaction { tx in
            let inserted = try await tx.rows(
                """
                INSERT INTO incidents (title, severity, opened_at, opened_by)
                VALUES (\(title), \(severity.rawValue), \(opening.at.millis), \(opening.by)) RETURNING id
                """)
            let id = try stored(inserted.first, "incident").int64("id")
            try await Self.insertAction(opening, incident: id, tx)
            return try stored(try await Self.incident(id, tx), "incident")
        }
    }

    public func addIncidentAction(_ action: IncidentAction, to id: Int64) async throws -> Incident {
        try await transaction { tx in
            try await Self.requireOpen(id, tx)
            try await Self.insertAction(action, incident: id, tx)
            return try stored(try await Self.incident(id, tx), "incident")
        }
    }

    public func resolveIncident(_ id: Int64, resolution: IncidentAction) async throws -> Incident {
        try await transaction { tx in
            try await Self.requireOpen(id, tx)
            try await tx.run(
                "UPDATE incidents SET resolved_at = \(resolution.at.millis), resolved_by = \(resolution.by), resolution = \(resolution.text) WHERE id = \(id)")
            try await Self.insertAction(resolution, incident: id, tx)
            return try stored(try await Self.incident(id, tx), "incident")
        }
    }

    public func linkIncidentAction(_ id: Int64, index: Int, auditSequence: Int64) async throws {
        try await run(
            """
            UPDATE incident_actions SET audit_seq = \(auditSequence) WHERE seq = (
                SELECT seq FROM incident_actions WHERE incident_id = \(id) ORDER BY seq LIMIT 1 OFFSET \(Int64(index)))
            """)
    }

    public func incident(id: Int64) async throws -> Incident? {
        try await transaction { tx in try await Self.incident(id, tx) }
    }

    public func incidents(openOnly: Bool, limit: Int) async throws -> [Incident] {
        try await transaction { tx in
            let ids = try await tx.rows(
                "SELECT id FROM incidents WHERE NOT \(openOnly) OR resolved_at IS NULL ORDER BY id DESC LIMIT \(Int64(limit))")
            var incidents: [Incident] = []
            for row in ids {
                if let incident = try await Self.incident(try row.int64("id"), tx) { incidents.append(incident) }
            }
            return incidents
        }
    }

    // MARK: Rows

    private static func requireOpen(_ id: Int64, _ tx: PGTransaction) async throws {
        guard let row = try await tx.rows("SELECT resolved_at FROM incidents WHERE id = \(id) FOR UPDATE").first else {
            throw LGSPError(.unknownIncident, "there is no incident \(id)", field: "id")
        }
        if let resolvedAt = try row.optionalDate("resolved_at") {
            throw LGSPError(.incidentResolved, "incident \(id) was resolved at \(resolvedAt.isoMillis); open a new incident instead")
        }
    }

    private static func insertAction(_ action: IncidentAction, incident id: Int64, _ tx: PGTransaction) async throws {
        try await tx.run(
            """
            INSERT INTO incident_actions (incident_id, kind, at, by, text, audit_seq)
            VALUES (\(id), \(action.kind.rawValue), \(action.at.millis), \(action.by), \(action.text), \(action.auditSequence))
            """)
    }

    private static func incident(_ id: Int64, _ tx: PGTransaction) async throws -> Incident? {
        guard let row = try await tx.rows("SELECT * FROM incidents WHERE id = \(id)").first else { return nil }
        let actions = try await tx.rows("SELECT * FROM incident_actions WHERE incident_id = \(id) ORDER BY seq").map { action in
            IncidentAction(
                kind: try stored(IncidentAction.Kind(rawValue: try action.string("kind")), "incident action kind"), at: try action.date("at"),
                by: try action.string("by"), text: try action.string("text"), auditSequence: try action.optionalInt64("audit_seq"))
        }
        return Incident(
            id: id, title: try row.string("title"), severity: try stored(IncidentSeverity(rawValue: try row.string("severity")), "incident severity"),
            openedAt: try row.date("opened_at"), openedBy: try row.string("opened_by"), actions: actions,
            resolvedAt: try row.optionalDate("resolved_at"), resolvedBy: try row.optionalString("resolved_by"),
            resolution: try row.optionalString("resolution"))
    }

    private static func maintenanceWindow(_ row: PGRow) throws -> MaintenanceWindow {
        MaintenanceWindow(
            id: try row.string("id"), title: try row.string("title"), message: try row.string("message"),
            messageEnglish: try row.optionalString("message_en"), startsAt: try row.date("starts_at"), endsAt: try row.date("ends_at"),
            services: try stored(jsonList(try row.string("services")), "window services"),
            units: try stored(jsonList(try row.string("units")), "window units").map { try stored(UnitCode(lenient: $0), "window unit") },
            announcedAt: try row.date("announced_at"), announcedBy: try row.string("announced_by"), updatedAt: try row.optionalDate("updated_at"),
            cancelledAt: try row.optionalDate("cancelled_at"), cancelledBy: try row.optionalString("cancelled_by"),
            cancelReason: try row.optionalString("cancel_reason"))
    }

    private static func jsonText(_ list: [String]) throws -> String {
        String(decoding: try JSONEncoder().encode(list), as: UTF8.self)
    }

    private static func jsonList(_ text: String) -> [String]? {
        try? JSONDecoder().decode([String].self, from: Data(text.utf8))
    }
}
