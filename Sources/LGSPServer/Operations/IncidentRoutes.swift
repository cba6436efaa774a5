import Foundation
import Hummingbird
import LGSPAPI
import LGSPCore

/// The incident log (Article 15.6), for administrators: open, add actions, resolve, read. Each step
/// is an audit entry whose sequence the incident keeps; `GET …/{id}` returns those entries too.
struct IncidentRoutes {
    let hub: Hub

    func register(on router: HubRouter) {
        router.post("/v1/admin/incidents") { request, _ in
            let (caller, body) = try await hub.authenticatedJSON(OpenIncidentRequest.self, request)
            try caller.requireAdmin(for: "opening an incident")
            guard let severity = IncidentSeverity(rawValue: body.severity) else {
                throw LGSPError(
                    .invalidField, "severity '\(body.severity.prefix(32))' is not one of \(IncidentSeverity.allCases.map(\.rawValue).joined(separator: ", "))",
                    field: "severity")
            }
            let incident = try await hub.operations.openIncident(title: body.title, severity: severity, text: body.text, by: caller.actor)
            return try JSONBody.response(IncidentBody(incident), status: .created)
        }
        router.get("/v1/admin/incidents") { request, _ in
            let caller = try await hub.authenticated(request)
            try caller.requireAdmin(for: "listing incidents")
            let query = request.uri.queryParameters
            let open = try MaintenanceRoutes.flag(query["open"], name: "open")
            let limit = try PacketRoutes.intQuery(query["limit"], name: "limit", default: 200, range: 1...1000)
            let incidents = try await hub.operations.incidents(openOnly: open, limit: limit)
            return try JSONBody.response(IncidentListResponse(items: incidents.map { IncidentBody($0) }))
        }
        router.get("/v1/admin/incidents/{id}") { request, context in
            let caller = try await hub.authenticated(request)
            try caller.requireAdmin(for: "reading an incident")
            let incident = try await hub.operations.incident(id: try Self.id(context.parameters))
            return try JSONBody.response(IncidentBody(incident, audit: try await hub.operations.auditEntries(of: incident)))
        }
        router.post("/v1/admin/incidents/{id}/actions") { request, context in
            let (caller, body) = try await hub.authenticatedJSON(IncidentActionRequest.self, request)
            try caller.requireAdmin(for: "adding to an incident")
            let incident = try await hub.operations.addIncidentAction(id: try Self.id(context.parameters), text: body.text, by: caller.actor)
            return try JSONBody.response(IncidentBody(incident), status: .created)
        }
        router.post("/v1/admin/incidents/{id}/resolve") { request, context in
            let (caller, body) = try await hub.authenticatedJSON(ResolveIncidentRequest.self, request)
            try caller.requireAdmin(for: "resolving an incident")
            let incident = try await hub.operations.resolveIncident(id: try Self.id(context.parameters), resolution: body.resolution, by: caller.actor)
            return try JSONBody.response(IncidentBody(incident))
        }
    }

    /// The `{id}` path parameter: a positive integer, or `request.invalid_field`.
    static func id(_ parameters: Parameters) throws -> Int64 {
        let text = parameters.get("id") ?? ""
        guard let id = Int64(text), id > 0 else { throw LGSPError(.invalidField, "'\(text.prefix(32))' is not an incident id (1, 2, 3…)", field: "id") }
        return id
    }
}
