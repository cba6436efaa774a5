import Foundation
import GRDB
import LGSPCore

/// Maintenance windows and the incident log (`OperationsStore`), in tables of migration `v11-ops-maintenance-incidents`.
extension SQLiteStore: OperationsStore {
    public func saveMaintenance(_ window: MaintenanceWindow) async throws {
        try await writing { db in
            try db.run(
                """
                INSERT INTO maintenance_windows (id, title, message, message_en, starts_at, ends_at, services, units, announced_at,
                    announced_by, updated_at, cancelled_at, cancelled_by, cancel_reason)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT(id) DO UPDATE SET title = excluded.title, message = excluded.message, message_en = excluded.message_en,
                    starts_at = excluded.starts_at, ends_at = excluded.ends_at, services = excluded.services, units = excluded.units,
                    updated_at = excluded.updated_at, cancelled_at = excluded.cancelled_at, cancelled_by = excluded.cancelled_by,
                    cancel_reason = excluded.cancel_reason
                """,
                [
                    window.id, window.title, window.message, window.messageEnglish, window.startsAt.millis, window.endsAt.millis,
                    try Self.jsonText(window.services), try Self.jsonText(window.units.map(\.rawValue)), window.announcedAt.millis, window.announcedBy,
                    window.updatedAt?.millis, window.cancelledAt?.millis, window.cancelledBy, window.cancelReason,
                ])
        }
    }

    public func maintenanceWindow(id: String) async throws -> MaintenanceWindow? {
        try await reading { db in
            try db.row("SELECT * FROM maintenance_windows WHERE id = ?", [id]).map(Self.maintenanceWindow)
        }
    }

    public func maintenanceWindows(endingAfter: Date?, includeCancelled: Bool, limit: Int) async throws -> [MaintenanceWindow] {
        try await reading { db in
            try db.rows(
                """
                SELECT * FROM maintenance_windows WHERE ends_at > ? AND (? OR cancelled_at IS NULL)
                ORDER BY starts_at, id LIMIT ?
                """, [endingAfter?.millis ?? Int64.min, includeCancelled, limit]
            ).map(Self.maintenanceWindow)
        }
    }

    public func openIncident(title: String, severity: IncidentSeverity, opening: IncidentAction) async throws -> Incident {
        try await writing { db in
            try db.run(
                "INSERT INTO incidents (title, severity, opened_at, opened_by) VALUES (?, ?, ?, ?)",
                [title, severity.rawValue, opening.at.millis, opening.by])
            let id = db.lastInsertedRowID
            try Self.insertAction(opening, incident: id, db: db)
            return try stored(try Self.incident(id, db: db), "incident")
        }
    }

    public func addIncidentAction(_ action: IncidentAction, to id: Int64) async throws -> Incident {
        try await writing { db in
            try Self.requireOpen(id, db: db)
            try Self.insertAction(action, incident: id, db: db)
            return try stored(try Self.incident(id, db: db), "incident")
        }
    }

    public func resolveIncident(_ id: Int64, resolution: IncidentAction) async throws -> Incident {
        try await writing { db in
            try Self.requireOpen(id, db: db)
            try db.run(
                "UPDATE incidents SET resolved_at = ?, resolved_by = ?, resolution = ? WHERE id = ?",
                [resolution.at.millis, resolution.by, resolution.text, id])
            try Self.insertAction(resolution, incident: id, db: db)
            return try stored(try Self.incident(id, db: db), "incident")
        }
    }

    public func linkIncidentAction(_ id: Int64, index: Int, auditSequence: Int64) async throws {
        try await writing { db in
            try db.run(
                """
                UPDATE incident_actions SET audit_seq = ? WHERE seq = (
                    SELECT seq FROM incident_actions WHERE incident_id = ? ORDER BY seq LIMIT 1 OFFSET ?)
                """, [auditSequence, id, index])
        }
    }

    public func incident(id: Int64) async throws -> Incident? {
        try await reading { db in try Self.incident(id, db: db) }
    }

    public func incidents(openOnly: Bool, limit: Int) async throws -> [Incident] {
        try await reading { db in
            let ids = try Int64.fetchAll(
                db, sql: "SELECT id FROM incidents WHERE NOT ? OR resolved_at IS NULL ORDER BY id DESC LIMIT ?", arguments: [openOnly, limit])
            return try ids.compactMap { try Self.incident($0, db: db) }
        }
    }

    // MARK: Rows

    private static func requireOpen(_ id: Int64, db: Database) throws {
        guard let row = try db.row("SELECT resolved_at FROM incidents WHERE id = ?", [id]) else {
            throw LGSPError(.unknownIncident, "there is no incident \(id)", field: "id")
        }
        if let resolvedAt = row.date("resolved_at") {
            throw LGSPError(.incidentResolved, "incident \(id) was resolved at \(resolvedAt.isoMillis); open a new incident instead")
        }
    }

    private static func insertAction(_ action: IncidentAction, incident id: Int64, db: Database) throws {
        try db.run(
            "INSERT INTO incident_actions (incident_id, kind, at, by, text, audit_seq) VALUES (?, ?, ?, ?, ?, ?)",
            [id, action.kind.rawValue, action.at.millis, action.by, action.text, action.auditSequence])
    }

    private static func incident(_ id: Int64, db: Database) throws -> Incident? {
        guard let row = try db.row("SELECT * FROM incidents WHERE id = ?", [id]) else { return nil }
        let actions = try db.rows("SELECT * FROM incident_actions WHERE incident_id = ? ORDER BY seq", [id]).map { action in
            IncidentAction(
                kind: try stored(IncidentAction.Kind(rawValue: action["kind"]), "incident action kind"), at: try stored(action.date("at"), "action time"),
                by: action["by"], text: action["text"], auditSequence: action["audit_seq"])
        }
        return Incident(
            id: id, title: row["title"], severity: try stored(IncidentSeverity(rawValue: row["severity"]), "incident severity"),
            openedAt: try stored(row.date("opened_at"), "incident time"), openedBy: row["opened_by"], actions: actions,
            resolvedAt: row.date("resolved_at"), resolvedBy: row["resolved_by"], resolution: row["resolution"])
    }

    private static func maintenanceWindow(_ row: Row) throws -> MaintenanceWindow {
        MaintenanceWindow(
            id: row["id"], title: row["title"], message: row["message"], messageEnglish: row["message_en"],
            startsAt: try stored(row.date("starts_at"), "window start"), endsAt: try stored(row.date("ends_at"), "window end"),
            services: try stored(jsonList(row["services"]), "window services"),
            units: try stored(jsonList(row["units"]), "window units").map { try stored(UnitCode(lenient: $0), "window unit") },
            announcedAt: try stored(row.date("announced_at"), "announcement time"), announcedBy: row["announced_by"], updatedAt: row.date("updated_at"),
            cancelledAt: row.date("cancelled_at"), cancelledBy: row["cancelled_by"], cancelReason: row["cancel_reason"])
    }

    private static func jsonText(_ list: [String]) throws -> String {
        String(decoding: try JSONEncoder().encode(list), as: UTF8.self)
    }

    private static func jsonList(_ text: String?) -> [String]? {
        text.flatMap { try? JSONDecoder().decode([String].self, from: Data($0.utf8)) }
    }
}
