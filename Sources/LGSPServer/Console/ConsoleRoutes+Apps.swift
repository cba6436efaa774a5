import Foundation
import Hummingbird
import LGSPCore

/// Apps: the list (of every unit, or the officer's own), one app with its signing schemes and keys
/// (access key and key ids only, never a secret), and the administrator's actions on it: rotate the
/// secret (the new one is shown once), disable, enable — through the directory's own use cases.
extension ConsoleRoutes {
    func registerApps(on router: HubRouter) {
        get(router, "/console/apps") { console in try await apps(console) }
        get(router, "/console/apps/{accessKey}") { console in try await app(console) }
        post(router, "/console/apps/{accessKey}/rotate-key") { console in try await rotate(console) }
        post(router, "/console/apps/{accessKey}/disable") { console in try await setStatus(.disabled, console) }
        post(router, "/console/apps/{accessKey}/enable") { console in try await setStatus(.active, console) }
    }

    func appRow(_ app: App, _ language: ConsoleLanguage) -> [String: Any] {
        [
            "accessKey": app.accessKey, "name": app.name, "unit": app.unit?.rawValue ?? "", "status": app.status.rawValue,
            "statusLabel": renderer.catalogue.text("app_status_\(app.status.rawValue)", language),
            "schemes": app.auth.schemes.map(\.rawValue).sorted().joined(separator: ", "), "receives": app.receives.items.joined(separator: ", "),
        ]
    }

    private func apps(_ console: ConsoleRequest) async throws -> Response {
        var asked: UnitCode?
        if let value = console.query("unit") {
            guard let unit = UnitCode(lenient: value) else {
                throw LGSPError(.invalidQuery, renderer.catalogue.text("filter_unit_invalid", console.language, ["value": value]), field: "unit")
            }
            asked = unit
        }
        let unit = try console.scopedUnit(asked)
        let apps = try await hub.store.apps(unit: unit).filter { $0.role == .app }.sorted { ($0.unit?.rawValue ?? "", $0.name) < ($1.unit?.rawValue ?? "", $1.name) }
        return await page(
            "apps", title: renderer.catalogue.text("nav_apps", console.language),
            data: ["apps": apps.map { appRow($0, console.language) }, "unit": unit?.rawValue ?? ""], console)
    }

    /// The app, after checking the official may see its unit.
    private func authorizedApp(_ console: ConsoleRequest) async throws -> App {
        let accessKey = console.parameter("accessKey")
        guard let app = try await hub.store.app(accessKey: accessKey), app.role == .app, let unit = app.unit else {
            throw LGSPError(.unknownApp, "no app has the access key \(accessKey.prefix(64))", field: "accessKey")
        }
        try console.requireUnit(unit)
        return app
    }

    private func app(_ console: ConsoleRequest, newSecret: String? = nil) async throws -> Response {
        let app = try await authorizedApp(console)
        let now = hub.clock.now()
        let keys = try await hub.directory.keys(accessKey: app.accessKey, by: try await caller())
        return await page(
            "app", title: app.name,
            data: [
                "app": appRow(app, console.language), "active": app.status == .active, "canEdit": console.session.isAdmin,
                "offlineLimit": app.offlineLimit.map { "\(Int($0)) s" } ?? "—", "createdAt": ConsoleFormat.time(app.createdAt),
                "keys": keys.map { key in
                    [
                        "id": key.id, "createdAt": ConsoleFormat.time(key.createdAt), "expiresAt": ConsoleFormat.time(key.expiresAt),
                        "lastUsedAt": ConsoleFormat.time(key.lastUsedAt), "revoked": key.revokedAt != nil,
                        "usable": key.revokedAt == nil && (key.expiresAt.map { $0 > now } ?? true),
                    ]
                },
                "newSecret": newSecret ?? "",
            ], console)
    }

    private func rotate(_ console: ConsoleRequest) async throws -> Response {
        try console.requireAdmin("rotating an app's key")
        let app = try await authorizedApp(console)
        let rotated = try await hub.directory.rotateKey(accessKey: app.accessKey, grace: 86400, by: try await caller())
        hub.authenticator.cache.invalidate(app.accessKey)
        record("console.apps.rotate-key", session: console.session, target: "app \(app.accessKey)")
        return try await self.app(console, newSecret: rotated.secretKey)
    }

    private func setStatus(_ status: AppStatus, _ console: ConsoleRequest) async throws -> Response {
        try console.requireAdmin(status == .disabled ? "disabling an app" : "enabling an app")
        let app = try await authorizedApp(console)
        _ = try await hub.directory.setStatus(status, accessKey: app.accessKey, by: try await caller())
        hub.authenticator.cache.invalidate(app.accessKey)
        record(status == .disabled ? "console.apps.disable" : "console.apps.enable", session: console.session, target: "app \(app.accessKey)")
        return Self.redirect("/console/apps/\(app.accessKey)")
    }
}
