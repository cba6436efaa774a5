import Foundation
import HTTPTypes
import Hummingbird
import LGSPAuth
import LGSPCore

extension ConsoleRoutes {
    /// A page inside the layout: navigation for the official's roles, the language switch, the sign-out
    /// form and the maintenance banner.
    func page(
        _ template: String, title: String, data: [String: Any], _ console: ConsoleRequest, status: HTTPResponse.Status = .ok
    ) async -> Response {
        let language = console.language
        let text = renderer.catalogue
        let session = console.session
        let layout: [String: Any] = [
            "title": title,
            "csrf": session.csrf,
            "user": [
                "name": session.name, "login": session.login, "unit": session.unit?.rawValue ?? "",
                "roles": session.roles.map { text.text("role_\($0.rawValue)", language) }.joined(separator: ", "),
            ],
            "nav": navigation(console),
            "langHref": "/console/lang?to=\(language.other.rawValue)&back=\(FormEncoding.encode(console.pathAndQuery))",
            "banners": await banners(language),
        ]
        return renderer.render(template, data: data, layout: layout, language: language, status: status)
    }

    /// The error page, with the status of the error's kind (403 for refusals, 404, 400/422 for bad input).
    func errorPage(_ error: LGSPError, _ console: ConsoleRequest) async -> Response {
        let text = renderer.catalogue
        let title = text.text(error.code.kind == .forbidden ? "error_forbidden_title" : "error_title", console.language)
        return await page(
            "error", title: title, data: ["code": error.code.rawValue, "message": error.message, "field": error.field ?? ""], console,
            status: error.code.kind.httpStatus)
    }

    private func navigation(_ console: ConsoleRequest) -> [[String: Any]] {
        let session = console.session
        var items: [(String, String)] = [("/console/", "nav_dashboard")]
        if session.readsEverything {
            items += [
                ("/console/units", "nav_units"), ("/console/apps", "nav_apps"), ("/console/grants", "nav_grants"),
                ("/console/services", "nav_services"), ("/console/sso-clients", "nav_sso_clients"),
            ]
        } else if let unit = session.unit {
            items += [("/console/units/\(unit.rawValue)", "nav_my_unit"), ("/console/apps", "nav_apps")]
        }
        items += [("/console/packets", "nav_packets"), ("/console/connections", "nav_connections"), ("/console/reports", "nav_reports")]
        if session.readsEverything { items += [("/console/audit", "nav_audit"), ("/console/incidents", "nav_incidents")] }
        let path = console.path
        return items.map { href, key in
            let active = href == "/console/" ? (path == "/console" || path == "/console/") : path.hasPrefix(href)
            return ["href": href, "label": renderer.catalogue.text(key, console.language), "active": active]
        }
    }

    /// Current and planned maintenance (Article 13), for the banner on every page.
    private func banners(_ language: ConsoleLanguage) async -> [[String: Any]] {
        guard let windows = try? await hub.operations.currentAndUpcomingMaintenance(now: hub.clock.now()) else { return [] }
        let now = hub.clock.now()
        return windows.map { window in
            let current = window.startsAt <= now && now < window.endsAt
            return [
                "kind": renderer.catalogue.text(current ? "maintenance_current" : "maintenance_planned", language),
                "title": window.title,
                "message": language == .en ? (window.messageEnglish ?? window.message) : window.message,
                "from": ConsoleFormat.time(window.startsAt), "to": ConsoleFormat.time(window.endsAt),
            ]
        }
    }
}
