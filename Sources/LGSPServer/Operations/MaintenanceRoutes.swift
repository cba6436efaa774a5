import Foundation
import Hummingbird
import LGSPAPI
import LGSPCore

/// Planned maintenance (Article 13): administrators announce, change and cancel windows
/// (`/v1/admin/maintenance`); every app hears of each change as a `hub.maintenance` event and may
/// read the windows under way or to come (`GET /v1/maintenance`).
struct MaintenanceRoutes {
    let hub: Hub

    func register(on router: HubRouter) {
        router.post("/v1/admin/maintenance") { request, _ in
            let (caller, body) = try await hub.authenticatedJSON(MaintenanceRequest.self, request)
            try caller.requireAdmin(for: "announcing maintenance")
            let window = try await hub.operations.announceMaintenance(body.draft, by: caller.actor)
            return try JSONBody.response(MaintenanceBody(window, now: hub.clock.now()), status: .created)
        }
        router.get("/v1/admin/maintenance") { request, _ in
            let caller = try await hub.authenticated(request)
            try caller.requireAdmin(for: "listing maintenance windows")
            let all = try Self.flag(request.uri.queryParameters["all"], name: "all")
            return try list(try await hub.operations.maintenanceWindows(includePast: all))
        }
        router.get("/v1/admin/maintenance/{id}") { request, context in
            let caller = try await hub.authenticated(request)
            try caller.requireAdmin(for: "reading a maintenance window")
            let window = try await hub.operations.maintenanceWindow(id: context.parameters.get("id") ?? "")
            return try JSONBody.response(MaintenanceBody(window, now: hub.clock.now()))
        }
        router.put("/v1/admin/maintenance/{id}") { request, context in
            let (caller, body) = try await hub.authenticatedJSON(MaintenanceRequest.self, request)
            try caller.requireAdmin(for: "changing maintenance")
            let window = try await hub.operations.updateMaintenance(id: context.parameters.get("id") ?? "", body.draft, by: caller.actor)
            return try JSONBody.response(MaintenanceBody(window, now: hub.clock.now()))
        }
        router.add(.delete, "/v1/admin/maintenance/{id}") { request, context in
            let (caller, body) = try await hub.authenticatedJSON(CancelMaintenanceRequest.self, request, allowEmpty: true)
            try caller.requireAdmin(for: "cancelling maintenance")
            let window = try await hub.operations.cancelMaintenance(id: context.parameters.get("id") ?? "", reason: body.reason, by: caller.actor)
            return try JSONBody.response(MaintenanceBody(window, now: hub.clock.now()))
        }
        router.get("/v1/maintenance") { request, _ in
            _ = try await hub.authenticated(request)
            return try list(try await hub.operations.currentAndUpcomingMaintenance())
        }
    }

    private func list(_ windows: [MaintenanceWindow]) throws -> Response {
        let now = hub.clock.now()
        return try JSONBody.response(MaintenanceListResponse(items: windows.map { MaintenanceBody($0, now: now) }))
    }

    /// `true`/`false` (absent: false), or `request.invalid_query`.
    static func flag(_ value: Substring?, name: String) throws -> Bool {
        switch value {
        case nil, "false": return false
        case "true": return true
        case let value?: throw LGSPError(.invalidQuery, "\(name) must be true or false, not '\(value.prefix(32))'", field: name)
        }
    }
}

extension Caller {
    /// Who acted, as operations records show it: `admin:<accessKey>` or `app:<accessKey>`.
    var actor: String { "\(isAdmin ? "admin" : "app"):\(app.accessKey)" }
}
