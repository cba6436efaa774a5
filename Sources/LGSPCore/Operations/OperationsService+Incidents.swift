import Foundation

extension OperationsService {
    /// Opens an incident. The opening is written to the audit log at once (action `incident.opened`,
    /// target `incident <id>`) and the incident keeps that entry's sequence.
    ///
    /// Refusals: `request.missing_field` / `request.invalid_field` (title, text).
    public func openIncident(title: String, severity: IncidentSeverity, text: String? = nil, by actor: String) async throws -> Incident {
        let title = try Self.text(title, field: "title", maximum: Self.maximumTitle)
        let description = try Self.optionalText(text, field: "text", maximum: Self.maximumText)
        let opening = IncidentAction(kind: .opened, at: clock.now(), by: actor, text: description ?? title, auditSequence: nil)
        var incident = try await store.openIncident(title: title, severity: severity, opening: opening)
        if let sequence = await writeAudit("incident.opened", incident: incident.id, detail: "\(severity.rawValue): \(title)", at: opening.at, actor: actor) {
            try await store.linkIncidentAction(incident.id, index: 0, auditSequence: sequence)
            incident.actions[0].auditSequence = sequence
        }
        logger.warning("incident opened", metadata: ["incident": "\(incident.id)", "severity": "\(severity.rawValue)"])
        return incident
    }

    /// Adds what was done (or found) to an open incident, with its audit entry (`incident.action`).
    ///
    /// Refusals: `request.missing_field` / `request.invalid_field` (text), `operations.unknown_incident`,
    /// `operations.incident_resolved`.
    public func addIncidentAction(id: Int64, text: String, by actor: String) async throws -> Incident {
        let text = try Self.text(text, field: "text", maximum: Self.maximumText)
        _ = try await incident(id: id)
        var incident = try await store.addIncidentAction(IncidentAction(kind: .note, at: clock.now(), by: actor, text: text, auditSequence: nil), to: id)
        try await link(&incident, index: incident.actions.count - 1, action: "incident.action", detail: text)
        return incident
    }

    /// Resolves an open incident with what fixed it, with its audit entry (`incident.resolved`).
    ///
    /// Refusals: `request.missing_field` / `request.invalid_field` (resolution), `operations.unknown_incident`,
    /// `operations.incident_resolved`.
    public func resolveIncident(id: Int64, resolution: String, by actor: String) async throws -> Incident {
        let resolution = try Self.text(resolution, field: "resolution", maximum: Self.maximumText)
        _ = try await incident(id: id)
        var incident = try await store.resolveIncident(id, resolution: IncidentAction(kind: .resolved, at: clock.now(), by: actor, text: resolution, auditSequence: nil))
        try await link(&incident, index: incident.actions.count - 1, action: "incident.resolved", detail: resolution)
        logger.info("incident resolved", metadata: ["incident": "\(id)"])
        return incident
    }

    /// One incident with its actions; `operations.unknown_incident` when there is none.
    public func incident(id: Int64) async throws -> Incident {
        guard let incident = try await store.incident(id: id) else {
            throw LGSPError(.unknownIncident, "there is no incident \(id)", field: "id")
        }
        return incident
    }

    /// Incidents, newest first; only unresolved ones with `openOnly`.
    public func incidents(openOnly: Bool = false, limit: Int = 200) async throws -> [Incident] {
        try await store.incidents(openOnly: openOnly, limit: limit)
    }

    /// The audit entries an incident's actions point to, in action order (entries not written yet are left out).
    public func auditEntries(of incident: Incident) async throws -> [AuditEntry] {
        var entries: [AuditEntry] = []
        for sequence in incident.actions.compactMap(\.auditSequence) {
            if let entry = try await audit.log.entries(from: nil, to: nil, after: sequence - 1, limit: 1).first, entry.sequence == sequence {
                entries.append(entry)
            }
        }
        return entries
    }

    private func link(_ incident: inout Incident, index: Int, action: String, detail: String) async throws {
        let step = incident.actions[index]
        guard let sequence = await writeAudit(action, incident: incident.id, detail: detail, at: step.at, actor: step.by) else { return }
        try await store.linkIncidentAction(incident.id, index: index, auditSequence: sequence)
        incident.actions[index].auditSequence = sequence
    }

    /// Writes one audit entry now (after whatever is queued) and returns its sequence. When the log
    /// cannot be written the record is queued instead (written later, without the link) and nil returned.
    private func writeAudit(_ action: String, incident id: Int64, detail: String, at: Date, actor: String) async -> Int64? {
        let scope = AuditScope.current
        let record = AuditRecord(
            at: at, actor: actor, action: action, target: "\(Incident.auditTarget(id)): \(detail.prefix(200))",
            source: scope?.source ?? "", requestID: scope?.requestID ?? "")
        do {
            try await audit.flush()
            return try await audit.log.append([record]).first?.sequence
        } catch {
            logger.error("audit log write failed; the incident step is queued for it, unlinked", metadata: ["incident": "\(id)", "error": "\(error)"])
            audit.record(record)
            return nil
        }
    }
}
