import Foundation
import Hummingbird
import LGSPCore

/// Presence and connection history (Article 5.9, 5.11): which units are online; for one unit, each
/// app's presence and every stream its apps held in the period (`ReportService.connections`).
extension ConsoleRoutes {
    func registerConnections(on router: HubRouter) {
        get(router, "/console/connections") { console in try await connections(console) }
    }

    private func connections(_ console: ConsoleRequest) async throws -> Response {
        let text = renderer.catalogue
        let language = console.language
        var errors: [String] = []
        var asked: UnitCode?
        if let value = console.query("unit") {
            if let unit = UnitCode(lenient: value) { asked = unit } else { errors.append(text.text("filter_unit_invalid", language, ["value": value])) }
        }
        let unit = try console.scopedUnit(asked)
        let period = periodFilter(console, errors: &errors)
        var data: [String: Any] = [
            "errors": errors, "filter": ["unit": console.query("unit") ?? "", "from": console.query("from") ?? "", "to": console.query("to") ?? ""],
            "unitFixed": console.session.readsEverything ? "" : (console.session.unit?.rawValue ?? ""),
        ]
        guard errors.isEmpty else {
            return await page("connections", title: text.text("nav_connections", language), data: data, console, status: .badRequest)
        }
        if let unit {
            let apps = try await hub.store.apps(unit: unit).filter { $0.role == .app }
            let presence = try await PresenceRoutes.presence(of: apps, hub: hub, detailed: true)
            data["unit"] = unit.rawValue
            data["apps"] = presence.map {
                [
                    "name": $0.name, "accessKey": $0.accessKey, "online": $0.online, "lastSeen": ConsoleFormat.time($0.lastSeen),
                    "connections": $0.connections.map { "\($0.channel) \($0.address ?? "") \(ConsoleFormat.time($0.connectedAt))" }.joined(separator: "; "),
                ]
            }
            let history = try await reports.connections(of: unit, from: period.from, to: period.to, by: try await caller())
            data["history"] = history.entries.reversed().prefix(500).map {
                [
                    "app": $0.appName ?? $0.connection.appID, "channel": $0.connection.channel.rawValue, "node": $0.connection.node,
                    "address": $0.connection.address, "connectedAt": ConsoleFormat.time($0.connection.connectedAt),
                    "disconnectedAt": $0.connection.disconnectedAt.map(ConsoleFormat.time) ?? text.text("connections_open", language),
                ]
            }
        } else {
            data["units"] = try await unitPresence(nil)
        }
        return await page("connections", title: text.text("nav_connections", language), data: data, console)
    }
}
