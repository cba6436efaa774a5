import Foundation
import Hummingbird
import LGSPCore

/// The incident log and maintenance notices (Articles 13, 15.6) through `OperationsService`: listed
/// for administrators and operators, who may also open an incident, add an action and resolve it.
extension ConsoleRoutes {
    func registerOperations(on router: HubRouter) {
        get(router, "/console/incidents") { console in try await incidents(console, errors: [], status: .ok) }
        post(router, "/console/incidents") { console in try await openIncident(console) }
        post(router, "/console/incidents/{id}/resolve") { console in try await resolveIncident(console) }
    }

    private func incidents(_ console: ConsoleRequest, errors: [String], status: HTTPResponse.Status) async throws -> Response {
        try console.requireReadsEverything("the incident log")
        let text = renderer.catalogue
        let language = console.language
        let incidents = try await hub.operations.incidents(openOnly: false, limit: 200)
        let windows = try await hub.operations.maintenanceWindows(includePast: false, limit: 100)
        return await page(
            "incidents", title: text.text("nav_incidents", language),
            data: [
                "errors": errors, "canAct": console.session.handlesOperations,
                "severities": IncidentSeverity.allCases.map { ["value": $0.rawValue, "label": text.text("severity_\($0.rawValue)", language)] },
                "incidents": incidents.map { incident in
                    [
                        "id": incident.id, "title": incident.title, "severity": incident.severity.rawValue,
                        "severityLabel": text.text("severity_\(incident.severity.rawValue)", language), "openedAt": ConsoleFormat.time(incident.openedAt),
                        "openedBy": incident.openedBy, "resolved": incident.isResolved, "resolvedAt": ConsoleFormat.time(incident.resolvedAt),
                        "resolution": incident.resolution ?? "",
                        "actions": incident.actions.map { ["at": ConsoleFormat.time($0.at), "by": $0.by, "text": $0.text, "kind": $0.kind.rawValue] },
                    ]
                },
                "maintenance": windows.map {
                    ["title": $0.title, "message": $0.message, "from": ConsoleFormat.time($0.startsAt), "to": ConsoleFormat.time($0.endsAt), "cancelled": $0.cancelledAt != nil]
                },
            ], console, status: status)
    }

    private func openIncident(_ console: ConsoleRequest) async throws -> Response {
        try console.requireReadsEverything("opening an incident")
        let text = renderer.catalogue
        guard let title = console.field("title") else {
            return try await incidents(console, errors: [text.text("form_title_required", console.language)], status: .unprocessableContent)
        }
        guard let severity = console.field("severity").flatMap(IncidentSeverity.init(rawValue:)) else {
            return try await incidents(console, errors: [text.text("form_severity_invalid", console.language)], status: .unprocessableContent)
        }
        do {
            let incident = try await hub.operations.openIncident(title: title, severity: severity, text: console.field("text"), by: console.session.actor)
            record("console.incidents.create", session: console.session, target: "incident \(incident.id)")
            return Self.redirect("/console/incidents")
        } catch let error as LGSPError where error.code.kind == .invalidRequest {
            return try await incidents(console, errors: [error.message], status: .unprocessableContent)
        }
    }

    private func resolveIncident(_ console: ConsoleRequest) async throws -> Response {
        try console.requireReadsEverything("resolving an incident")
        guard let id = Int64(console.parameter("id")) else {
            throw LGSPError(.invalidField, "'\(console.parameter("id").prefix(40))' is not an incident number", field: "id")
        }
        guard let resolution = console.field("resolution") else {
            return try await incidents(console, errors: [renderer.catalogue.text("form_resolution_required", console.language)], status: .unprocessableContent)
        }
        _ = try await hub.operations.resolveIncident(id: id, resolution: resolution, by: console.session.actor)
        record("console.incidents.resolve", session: console.session, target: "incident \(id)")
        return Self.redirect("/console/incidents")
    }
}
