import Foundation
import Hummingbird
import LGSPCore

/// The dashboard: today's deliveries by state, online and offline units, failures, the upstream link.
/// A unit officer sees the same figures for their own unit.
extension ConsoleRoutes {
    func registerDashboard(on router: HubRouter) {
        // Hummingbird's router ignores a trailing slash: this is also `/console/`.
        get(router, "/console") { console in try await dashboard(console) }
    }

    private func dashboard(_ console: ConsoleRequest) async throws -> Response {
        let text = renderer.catalogue
        let language = console.language
        let unit = try console.scopedUnit(nil)
        let now = hub.clock.now()
        let today = ConsoleFormat.startOfDay(now)
        let report = try await reports.units(from: today, to: max(now, today.addingTimeInterval(0.001)), unit: unit, by: try await caller())
        func sum(_ pick: (UnitReport) -> TrafficFigures) -> TrafficFigures {
            report.units.map(pick).reduce(into: TrafficFigures(DirectionTraffic())) { total, figures in
                total.packets += figures.packets
                total.bytes += figures.bytes
                total.outcomes.delivered += figures.outcomes.delivered
                total.outcomes.rejected += figures.outcomes.rejected
                total.outcomes.expired += figures.outcomes.expired
                total.outcomes.undeliverable += figures.outcomes.undeliverable
                total.outcomes.transformFailed += figures.outcomes.transformFailed
                total.outcomes.open += figures.outcomes.open
            }
        }
        func row(_ key: String, _ figures: TrafficFigures) -> [String: Any] {
            let outcomes = figures.outcomes
            return [
                "label": text.text(key, language), "packets": figures.packets, "delivered": outcomes.delivered, "rejected": outcomes.rejected,
                "expired": outcomes.expired, "undeliverable": outcomes.undeliverable, "transformFailed": outcomes.transformFailed, "open": outcomes.open,
            ]
        }
        let sent = sum(\.sent)
        let received = sum(\.received)
        // Every delivery has one recipient, so the received side counts each delivery once.
        let failed = received.outcomes.rejected + received.outcomes.expired + received.outcomes.undeliverable + received.outcomes.transformFailed

        let presence = try await unitPresence(unit)
        let online = presence.filter { $0["online"] as? Bool == true }
        let offline = presence.filter { $0["online"] as? Bool != true }
        var problems: [[String: Any]] = []
        if console.session.readsEverything {
            try? await hub.audit.flush()
            // The latest 2000 records of today are enough to show the last failures.
            let head = try await hub.audit.log.head()?.sequence ?? 0
            let entries = try await hub.audit.log.entries(from: today, to: nil, after: max(0, head - 2000), limit: 2000)
            problems = entries.filter { $0.record.outcome != "ok" }.suffix(10).reversed().map {
                ["at": ConsoleFormat.time($0.record.at), "actor": $0.record.actor, "action": $0.record.action, "target": $0.record.target, "outcome": $0.record.outcome]
            }
        }
        return await page(
            "dashboard", title: text.text("nav_dashboard", language),
            data: [
                "scope": unit.map { text.text("dashboard_scope_unit", language, ["unit": $0.rawValue]) } ?? text.text("dashboard_scope_all", language),
                "day": ConsoleFormat.day(today),
                "traffic": [row("dashboard_sent", sent), row("dashboard_received", received)],
                "failed": failed, "onlineCount": online.count, "offlineCount": offline.count, "offline": offline.prefix(50).map { $0 },
                "problems": problems, "showProblems": console.session.readsEverything,
                "upstream": await upstream(language),
            ], console)
    }

    /// Each peer link's state (`PeerLinkMonitor`), or "không có liên kết" without federation.
    private func upstream(_ language: ConsoleLanguage) async -> String {
        guard let federation, !federation.configuration.peers.isEmpty else { return renderer.catalogue.text("dashboard_no_upstream", language) }
        var parts: [String] = []
        for peer in federation.configuration.peers {
            let link = federation.monitor.link(peer.name)
            let depth = (try? await federation.links.queueFigures(peer: peer.name).depth) ?? 0
            parts.append(
                renderer.catalogue.text(
                    "dashboard_upstream_link", language,
                    ["peer": peer.name, "state": link.state, "breaker": link.breaker.rawValue, "queue": String(depth),
                     "success": ConsoleFormat.time(link.lastSuccessAt)]))
        }
        return parts.joined(separator: "; ")
    }

    /// The hub's report use case (per-unit figures and connection history).
    var reports: ReportService { ReportService(reports: hub.store, presence: hub.store, directory: hub.store, clock: hub.clock) }

    /// Units with apps, online when one of their apps is (`PresenceRoutes.presence`), of one unit or all.
    func unitPresence(_ unit: UnitCode?) async throws -> [[String: Any]] {
        let apps = try await hub.store.apps(unit: unit).filter { $0.role == .app }
        let presence = try await PresenceRoutes.presence(of: apps, hub: hub, detailed: false)
        let names = try await unitNames()
        var byUnit: [UnitCode: (online: Bool, lastSeen: Date?)] = [:]
        for item in presence {
            guard let code = item.unit else { continue }
            let known = byUnit[code] ?? (false, nil)
            byUnit[code] = (known.online || item.online, [known.lastSeen, item.lastSeen].compactMap { $0 }.max())
        }
        return byUnit.sorted { $0.key.rawValue < $1.key.rawValue }.map { code, state in
            ["code": code.rawValue, "name": names[code] ?? "", "online": state.online, "lastSeen": ConsoleFormat.time(state.lastSeen)]
        }
    }
}
