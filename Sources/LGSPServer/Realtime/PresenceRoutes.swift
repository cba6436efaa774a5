import Foundation
import Hummingbird
import LGSPAPI
import LGSPCore

/// Presence (Article 5.9): whether apps are online — holding a stream, or having called the hub within
/// the presence window — with their open connections. `GET /v1/presence/{unit code or access key}`
/// for any app; `GET /v1/admin/presence` lists every app for administrators.
struct PresenceRoutes {
    let hub: Hub

    func register(on router: HubRouter) {
        router.get("/v1/presence/{subject}") { request, context in
            let caller = try await hub.authenticated(request)
            let subject = context.parameters.get("subject") ?? ""
            let apps: [App]
            if let unit = UnitCode(lenient: subject) {
                guard try await hub.store.unit(unit) != nil else { throw LGSPError(.unknownUnit, "unit \(unit) is not in the directory") }
                apps = try await hub.store.apps(unit: unit).filter { $0.role == .app }
            } else if let app = try await hub.store.app(accessKey: subject), app.role == .app {
                apps = [app]
            } else {
                throw LGSPError(.unknownApp, "'\(subject)' is neither a unit code nor an app's access key")
            }
            // Where another unit's systems connect from is not every app's business.
            let ownUnit = apps.allSatisfy { $0.unit != nil && $0.unit == caller.app.unit }
            let presence = try await Self.presence(of: apps, hub: hub, detailed: caller.isAdmin || ownUnit)
            return try JSONBody.response(
                PresenceResponse(subject: subject, online: presence.contains { $0.online }, lastSeen: presence.compactMap(\.lastSeen).max(),
                    apps: presence))
        }
        router.get("/v1/admin/presence") { request, _ in
            let caller = try await hub.authenticated(request)
            try caller.requireAdmin(for: "listing presence")
            let apps = try await hub.store.apps(unit: nil).filter { $0.role == .app }
            return try JSONBody.response(PresenceListResponse(items: try await Self.presence(of: apps, hub: hub, detailed: true)))
        }
    }

    /// `detailed`: with each connection's node and address.
    static func presence(of apps: [App], hub: Hub, detailed: Bool) async throws -> [AppPresence] {
        let now = hub.clock.now()
        var result: [AppPresence] = []
        for app in apps {
            let open = try await hub.store.openConnections(appID: app.id)
            let lastSeen = try await hub.store.lastSeen(appID: app.id)
            let recent = lastSeen.map { now.timeIntervalSince($0) <= hub.configuration.presenceWindow } ?? false
            result.append(
                AppPresence(
                    accessKey: app.accessKey, unit: app.unit, name: app.name, online: !open.isEmpty || recent, lastSeen: open.isEmpty ? lastSeen : now,
                    connections: open.map { ConnectionBody(
                        channel: $0.channel.rawValue, node: detailed ? $0.node : nil, address: detailed ? $0.address : nil, connectedAt: $0.connectedAt) }))
        }
        return result
    }
}
