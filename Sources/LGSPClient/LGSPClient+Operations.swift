import Foundation
import LGSPAPI
import LGSPCore

/// Maintenance windows and the incident log (Articles 13, 15.6).
extension LGSPClient {
    /// Announces a maintenance window (administrators); every app hears `hub.maintenance`.
    public func announceMaintenance(_ request: MaintenanceRequest) async throws -> MaintenanceBody {
        try await json(.POST, "/v1/admin/maintenance", body: request)
    }

    /// Replaces a window's title, messages, times and scope (administrators).
    public func updateMaintenance(id: String, _ request: MaintenanceRequest) async throws -> MaintenanceBody {
        try await json(.PUT, "/v1/admin/maintenance/\(id)", body: request)
    }

    /// Cancels a window (administrators).
    public func cancelMaintenance(id: String, reason: String? = nil) async throws -> MaintenanceBody {
        try await json(.DELETE, "/v1/admin/maintenance/\(id)", body: CancelMaintenanceRequest(reason: reason))
    }

    /// Windows (administrators): those under way or to come, or every one with `all`.
    public func maintenanceWindows(all: Bool = false) async throws -> [MaintenanceBody] {
        let response: MaintenanceListResponse = try await json(.GET, "/v1/admin/maintenance", query: all ? [("all", "true")] : [])
        return response.items
    }

    /// The windows under way or to come, for any app.
    public func currentMaintenance() async throws -> [MaintenanceBody] {
        let response: MaintenanceListResponse = try await json(.GET, "/v1/maintenance")
        return response.items
    }

    /// Opens an incident (administrators); `severity` is `minor`, `major` or `critical`.
    public func openIncident(title: String, severity: String, text: String? = nil) async throws -> IncidentBody {
        try await json(.POST, "/v1/admin/incidents", body: OpenIncidentRequest(title: title, severity: severity, text: text))
    }

    public func incidents(openOnly: Bool = false) async throws -> [IncidentBody] {
        let response: IncidentListResponse = try await json(.GET, "/v1/admin/incidents", query: openOnly ? [("open", "true")] : [])
        return response.items
    }

    /// One incident with its actions and the audit entries they point to.
    public func incident(id: Int64) async throws -> IncidentBody {
        try await json(.GET, "/v1/admin/incidents/\(id)")
    }

    public func addIncidentAction(id: Int64, text: String) async throws -> IncidentBody {
        try await json(.POST, "/v1/admin/incidents/\(id)/actions", body: IncidentActionRequest(text: text))
    }

    public func resolveIncident(id: Int64, resolution: String) async throws -> IncidentBody {
        try await json(.POST, "/v1/admin/incidents/\(id)/resolve", body: ResolveIncidentRequest(resolution: resolution))
    }
}
