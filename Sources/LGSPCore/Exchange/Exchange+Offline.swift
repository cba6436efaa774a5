import Foundation

extension Exchange {
    /// Article 5.9: a destination app that stays offline longer than its limit (its own, else
    /// `exchange.offlineLimitSeconds`) with deliveries waiting for it: those that waited longer than
    /// the limit become `undeliverable`, and each source hears it (`delivery.undeliverable` with the
    /// reason and the time the app was last seen). An app is offline when it holds no stream and has
    /// not called the hub since the limit began. Returns how many deliveries were given up.
    func giveUpOnOfflineDestinations(now: Date, batch: Int) async throws -> Int {
        guard let presence else { return 0 }
        var givenUp = 0
        for waiting in try await packets.waitingDestinations(pastLimitAt: now, defaultLimit: configuration.offlineLimit, limit: batch) {
            guard let app = try await directory.app(id: waiting.appID) else { continue }
            let limit = app.offlineLimit ?? configuration.offlineLimit
            guard limit > 0 else { continue }
            let cutoff = now.addingTimeInterval(-limit)
            guard waiting.oldestSince <= cutoff, try await presence.openConnections(appID: app.id).isEmpty else { continue }
            let lastSeen = try await presence.lastSeen(appID: app.id)
            if let lastSeen, lastSeen > cutoff { continue }
            let reason = Self.offlineReason(app: app, lastSeen: lastSeen, limit: limit)
            for delivery in try await packets.waitingDeliveries(appID: app.id, since: cutoff, limit: batch) {
                if try await moveIfStill(delivery, on: .giveUp(reason: reason), lastSeen: lastSeen) { givenUp += 1 }
            }
            logger.notice("destination offline too long", metadata: ["app": "\(app.accessKey)", "lastSeen": "\(lastSeen?.iso8601 ?? "never")"])
        }
        return givenUp
    }

    static func offlineReason(app: App, lastSeen: Date?, limit: TimeInterval) -> String {
        let since = lastSeen.map { "has been offline since \($0.iso8601)" } ?? "has never connected"
        return "the destination app '\(app.name)' (\(app.accessKey)) \(since), longer than its offline limit of \(duration(limit))"
    }

    /// "3 days", "2 hours", "90 seconds": the largest unit that divides the limit.
    static func duration(_ seconds: TimeInterval) -> String {
        let whole = Int(seconds.rounded())
        for (unit, size) in [("day", 86400), ("hour", 3600), ("minute", 60)] where whole >= size && whole % size == 0 {
            let count = whole / size
            return "\(count) \(unit)\(count == 1 ? "" : "s")"
        }
        return "\(whole) second\(whole == 1 ? "" : "s")"
    }
}
