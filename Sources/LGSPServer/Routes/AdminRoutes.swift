import Foundation
import Hummingbird
import LGSPAPI
import LGSPCore

/// The admin API (`/v1/admin`): the directory, keys and grants, and the hub's status. Every call
/// needs an administrator credential; the CLI uses it, so one node or many behave the same.
struct AdminRoutes {
    let hub: Hub

    func register(on router: HubRouter) {
        let admin = AdminPaths(router: router)
        admin.post("units") { request, _ in
            let (caller, body) = try await hub.authenticatedJSON(AddUnitRequest.self, request)
            let unit = try await hub.directory.addUnit(code: body.code, name: body.name, parent: body.parent, by: caller)
            return try JSONBody.response(UnitBody(unit), status: .created)
        }
        admin.get("units") { request, _ in
            let caller = try await hub.authenticated(request)
            return try JSONBody.response(UnitListResponse(items: try await hub.directory.units(by: caller).map(UnitBody.init)))
        }
        admin.post("apps") { request, _ in
            let (caller, body) = try await hub.authenticatedJSON(CreateAppRequest.self, request)
            let receives = try DataTypeSet(body.receives ?? [])
            let created = try await hub.directory.createApp(unit: body.unit, name: body.name, receives: receives, by: caller)
            return try JSONBody.response(Self.credential(created), status: .created)
        }
        admin.get("apps") { request, _ in
            let caller = try await hub.authenticated(request)
            var unit: UnitCode?
            if let text = request.uri.queryParameters["unit"] {
                guard let code = UnitCode(lenient: String(text)) else {
                    throw LGSPError(.invalidQuery, "unit '\(text)' is not a unit code", field: "unit")
                }
                unit = code
            }
            return try JSONBody.response(AppListResponse(items: try await hub.directory.apps(unit: unit, by: caller).map(AppBody.init)))
        }
        admin.post("apps/{accessKey}/rotate-key") { request, context in
            let (caller, body) = try await hub.authenticatedJSON(RotateKeyRequest.self, request, allowEmpty: true)
            let rotated = try await hub.directory.rotateKey(
                accessKey: context.parameters.get("accessKey") ?? "", grace: TimeInterval(body.graceSeconds ?? 86400), by: caller)
            hub.authenticator.cache.invalidate(rotated.app.accessKey)
            return try JSONBody.response(Self.credential(rotated))
        }
        admin.post("apps/{accessKey}/disable") { request, context in
            let caller = try await hub.authenticated(request)
            let app = try await hub.directory.setStatus(.disabled, accessKey: context.parameters.get("accessKey") ?? "", by: caller)
            hub.authenticator.cache.invalidate(app.accessKey)
            return try JSONBody.response(AppBody(app))
        }
        admin.post("apps/{accessKey}/enable") { request, context in
            let caller = try await hub.authenticated(request)
            let app = try await hub.directory.setStatus(.active, accessKey: context.parameters.get("accessKey") ?? "", by: caller)
            hub.authenticator.cache.invalidate(app.accessKey)
            return try JSONBody.response(AppBody(app))
        }
        admin.post("grants") { request, _ in
            let (caller, body) = try await hub.authenticatedJSON(AddGrantRequest.self, request)
            let grant = try await hub.directory.addGrant(accessKey: body.app, sendTo: body.sendTo, dataType: body.dataType, by: caller)
            return try JSONBody.response(GrantBody(id: grant.id, app: body.app, sendTo: grant.sendTo.rawValue, dataType: grant.dataType?.rawValue, createdAt: grant.createdAt), status: .created)
        }
        admin.get("grants") { request, _ in
            let caller = try await hub.authenticated(request)
            let filter = request.uri.queryParameters["app"].map(String.init)
            let grants = try await hub.directory.grants(accessKey: filter, by: caller)
            var keys: [String: String] = [:]
            for app in try await hub.store.apps(unit: nil) { keys[app.id] = app.accessKey }
            return try JSONBody.response(
                GrantListResponse(items: grants.map {
                    GrantBody(id: $0.id, app: keys[$0.appID] ?? $0.appID, sendTo: $0.sendTo.rawValue, dataType: $0.dataType?.rawValue, createdAt: $0.createdAt)
                }))
        }
        admin.get("status") { request, _ in
            let caller = try await hub.authenticated(request)
            try caller.requireAdmin(for: "reading the hub status")
            let memory = ProcessMemory.read()
            return try JSONBody.response(
                HubStatusResponse(
                    hubName: hub.configuration.exchange.hubName, version: LGSPVersion.current, startedAt: hub.startedAt,
                    uptimeSeconds: hub.clock.now().timeIntervalSince(hub.startedAt), residentBytes: memory.resident,
                    peakResidentBytes: memory.peak))
        }
    }

    /// Registers paths below `/v1/admin`.
    struct AdminPaths {
        let router: HubRouter
        func get(_ path: String, _ handler: @escaping HubRouter.Handler) { router.get("/v1/admin/" + path, handler) }
        func post(_ path: String, _ handler: @escaping HubRouter.Handler) { router.post("/v1/admin/" + path, handler) }
    }

    static func credential(_ credential: DirectoryService.NewCredential) -> CredentialResponse {
        CredentialResponse(
            app: AppBody(credential.app), accessKey: credential.app.accessKey, secretKey: credential.secretKey,
            previousSecretExpiresAt: credential.previousSecretExpiresAt)
    }
}

/// The software version reported by the hub and the CLI.
public enum LGSPVersion {
    public static let current = "0.1.0"
}

/// Resident memory of this process, from `/proc/self/status` (Linux); nil elsewhere.
enum ProcessMemory {
    static func read() -> (resident: Int64?, peak: Int64?) {
        guard let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return (nil, nil) }
        func kilobytes(_ name: String) -> Int64? {
            guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix(name + ":") }) else { return nil }
            return line.split(separator: " ").compactMap { Int64($0) }.first.map { $0 * 1024 }
        }
        return (kilobytes("VmRSS"), kilobytes("VmHWM"))
    }
}
