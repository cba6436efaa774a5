import Foundation

/// Maintenance windows and the incident log (Articles 13, 15.6).
///
/// Contract: a window is stored as given (times to the millisecond) and read back equal; incident ids
/// are 1, 2, 3… in order of opening; actions are kept in the order added; a resolved incident stays
/// resolved (`resolveIncident` of a resolved incident throws `operations.incident_resolved`).
/// Unknown ids: `nil` from the readers, `operations.unknown_incident` from the incident writers.
public protocol OperationsStore: Sendable {
    /// Inserts a new window, or replaces the stored window with the same id.
    func saveMaintenance(_ window: MaintenanceWindow) async throws
    func maintenanceWindow(id: String) async throws -> MaintenanceWindow?
    /// Windows ending after `endingAfter` (all when nil), cancelled ones only with `includeCancelled`,
    /// by start time, at most `limit`.
    func maintenanceWindows(endingAfter: Date?, includeCancelled: Bool, limit: Int) async throws -> [MaintenanceWindow]

    /// Stores a new incident with its opening action and returns it with its id.
    func openIncident(title: String, severity: IncidentSeverity, opening: IncidentAction) async throws -> Incident
    /// Appends an action to an open incident (`operations.incident_resolved` when it is resolved).
    func addIncidentAction(_ action: IncidentAction, to id: Int64) async throws -> Incident
    /// Records the resolution (the action's time, who and text) and appends it as the last action.
    func resolveIncident(_ id: Int64, resolution: IncidentAction) async throws -> Incident
    /// Sets the audit sequence of the incident's action at `index` (0 = the opening).
    func linkIncidentAction(_ id: Int64, index: Int, auditSequence: Int64) async throws
    func incident(id: Int64) async throws -> Incident?
    /// Newest first, only unresolved ones with `openOnly`, at most `limit`.
    func incidents(openOnly: Bool, limit: Int) async throws -> [Incident]
}
