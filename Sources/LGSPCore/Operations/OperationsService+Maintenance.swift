import Foundation

extension OperationsService {
    /// The longest maintenance window that can be announced.
    public static let maximumWindow: TimeInterval = 31 * 86400

    /// Announces a maintenance window: stores it, then tells every app (`hub.maintenance`, change
    /// `announced`), so apps streaming hear it at once and the others find it when they resume. If the
    /// events cannot be stored the window stays stored and the error is thrown (list, then update to re-send).
    ///
    /// Refusals: `request.missing_field` / `request.invalid_field` (title, message, services),
    /// `directory.invalid_unit_code` (units), `operations.invalid_window` (end not after start, end
    /// already past, longer than 31 days).
    public func announceMaintenance(_ draft: MaintenanceDraft, by actor: String) async throws -> MaintenanceWindow {
        let now = clock.now()
        var window = try Self.validated(draft, id: PacketID.generate(at: now).rawValue, now: now, actor: actor)
        window.announcedAt = now
        try await store.saveMaintenance(window)
        try await notifyEveryApp(window, change: "announced", at: now)
        logger.info("maintenance announced", metadata: ["maintenance": "\(window.id)", "startsAt": "\(window.startsAt.isoMillis)"])
        return window
    }

    /// Replaces the title, messages, times and scope of a window that is neither cancelled nor over,
    /// and tells every app (`hub.maintenance`, change `updated`).
    ///
    /// Refusals: those of `announceMaintenance`, `operations.unknown_maintenance`, `operations.maintenance_closed`.
    public func updateMaintenance(id: String, _ draft: MaintenanceDraft, by actor: String) async throws -> MaintenanceWindow {
        let now = clock.now()
        let stored = try await openWindow(id, now: now, doing: "changed")
        var window = try Self.validated(draft, id: stored.id, now: now, actor: stored.announcedBy)
        window.announcedAt = stored.announcedAt
        window.updatedAt = now
        try await store.saveMaintenance(window)
        try await notifyEveryApp(window, change: "updated", at: now)
        return window
    }

    /// Calls off a window that is neither cancelled nor over, and tells every app (change `cancelled`).
    ///
    /// Refusals: `operations.unknown_maintenance`, `operations.maintenance_closed`.
    public func cancelMaintenance(id: String, reason: String?, by actor: String) async throws -> MaintenanceWindow {
        let now = clock.now()
        var window = try await openWindow(id, now: now, doing: "cancelled")
        window.cancelledAt = now
        window.cancelledBy = actor
        window.cancelReason = try Self.optionalText(reason, field: "reason", maximum: Self.maximumText)
        try await store.saveMaintenance(window)
        try await notifyEveryApp(window, change: "cancelled", at: now)
        return window
    }

    /// One window, cancelled or not; `operations.unknown_maintenance` when there is none.
    public func maintenanceWindow(id: String) async throws -> MaintenanceWindow {
        guard let window = try await store.maintenanceWindow(id: id) else {
            throw LGSPError(.unknownMaintenance, "there is no maintenance window '\(id.prefix(64))'", field: "id")
        }
        return window
    }

    /// Windows under way or still to come at `now` (the hub's clock when nil), soonest first: what the
    /// console's banner and `GET /v1/maintenance` show. Cancelled windows are left out.
    public func currentAndUpcomingMaintenance(now: Date? = nil) async throws -> [MaintenanceWindow] {
        try await store.maintenanceWindows(endingAfter: now ?? clock.now(), includeCancelled: false, limit: 100)
    }

    /// Every window (including cancelled and past ones when `includePast`), by start time.
    public func maintenanceWindows(includePast: Bool, limit: Int = 500) async throws -> [MaintenanceWindow] {
        try await store.maintenanceWindows(endingAfter: includePast ? nil : clock.now(), includeCancelled: includePast, limit: limit)
    }

    private func openWindow(_ id: String, now: Date, doing: String) async throws -> MaintenanceWindow {
        let window = try await maintenanceWindow(id: id)
        switch window.phase(at: now) {
        case .cancelled:
            throw LGSPError(.maintenanceClosed, "maintenance window \(id) was cancelled at \(window.cancelledAt?.isoMillis ?? "?"); it cannot be \(doing)")
        case .ended:
            throw LGSPError(.maintenanceClosed, "maintenance window \(id) ended at \(window.endsAt.isoMillis); it cannot be \(doing)")
        case .upcoming, .ongoing:
            return window
        }
    }

    /// Stores one `hub.maintenance` event per app of the directory and wakes their streams.
    private func notifyEveryApp(_ window: MaintenanceWindow, change: String, at now: Date) async throws {
        let apps = try await directory.apps(unit: nil).filter { $0.role == .app }
        guard !apps.isEmpty, let subject = PacketID(window.id) else { return }
        let payload = EventPayload.encoded(EventPayload.Maintenance(window, change: change, at: now))
        let stored = apps.map { HubEvent(appID: $0.id, type: .hubMaintenance, packetID: subject, payload: payload, at: now) }
        // Batches keep one transaction bounded on a directory with thousands of apps.
        for start in stride(from: 0, to: stored.count, by: 500) {
            try await events.apply([], packetUpdate: nil, events: Array(stored[start..<min(start + 500, stored.count)]))
        }
        await notifier.eventsStored(for: Set(apps.map(\.id)))
    }

    /// A window from a draft, or the refusal naming the member at fault.
    static func validated(_ draft: MaintenanceDraft, id: String, now: Date, actor: String) throws(LGSPError) -> MaintenanceWindow {
        let title = try text(draft.title, field: "title", maximum: maximumTitle)
        let message = try text(draft.message, field: "message", maximum: maximumText)
        let english = try optionalText(draft.messageEnglish, field: "messageEn", maximum: maximumText)
        guard draft.endsAt > draft.startsAt else {
            throw LGSPError(
                .invalidMaintenanceWindow, "the window ends (\(draft.endsAt.isoMillis)) before or when it starts (\(draft.startsAt.isoMillis))",
                field: "endsAt")
        }
        guard draft.endsAt > now else {
            throw LGSPError(.invalidMaintenanceWindow, "the window ends (\(draft.endsAt.isoMillis)) in the past (now \(now.isoMillis))", field: "endsAt")
        }
        guard draft.endsAt.timeIntervalSince(draft.startsAt) <= maximumWindow else {
            throw LGSPError(.invalidMaintenanceWindow, "the window lasts longer than 31 days; announce shorter windows", field: "endsAt")
        }
        guard draft.services.count <= 50 else { throw LGSPError(.invalidField, "at most 50 services may be named", field: "services") }
        var services: [String] = []
        for (index, service) in draft.services.enumerated() {
            services.append(try text(service, field: "services[\(index)]", maximum: 200))
        }
        guard draft.units.count <= 500 else { throw LGSPError(.invalidField, "at most 500 units may be named", field: "units") }
        var units: [UnitCode] = []
        for (index, code) in draft.units.enumerated() {
            do {
                units.append(try UnitCode(strict: code))
            } catch {
                throw LGSPError(error.code, "units[\(index)]: \(error.message)", field: "units[\(index)]")
            }
        }
        return MaintenanceWindow(
            id: id, title: title, message: message, messageEnglish: english, startsAt: draft.startsAt.auditRounded, endsAt: draft.endsAt.auditRounded,
            services: services, units: units, announcedAt: now, announcedBy: actor)
    }
}
