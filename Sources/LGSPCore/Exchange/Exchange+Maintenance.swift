import Foundation

/// What one maintenance pass did.
public struct MaintenanceReport: Sendable, Hashable {
    public var madeReady = 0
    public var expired = 0
    public var abandoned = 0
    public var purged = 0
    /// Deliveries given up because their destination stayed offline too long.
    public var undeliverable = 0

    public var isEmpty: Bool { madeReady + expired + abandoned + purged + undeliverable == 0 }
}

extension Exchange {
    /// One pass of time-driven work: deliveries whose not-before time came are offered (converted
    /// first where their app wants another format: `offer`), as are deliveries an interrupted upload
    /// left `uploaded`; deadlines
    /// expire deliveries; packets whose upload space closed without content expire; finished packets
    /// left unpurged (after a crash) are purged. Safe to run on several nodes at once: every change is
    /// a compare-and-set, and a lost race is skipped.
    public func runMaintenance(batch: Int = 200) async throws -> MaintenanceReport {
        var report = MaintenanceReport()
        let now = clock.now()
        let due = try await packets.dueDeliveries(now: now, limit: batch)
        for packetID in due.map(\.packetID).uniqued() {
            report.madeReady += try await offerIfStill(due.filter { $0.packetID == packetID }, of: packetID)
        }
        for delivery in try await packets.overdueDeliveries(now: now, limit: batch) {
            if try await moveIfStill(delivery, on: .expire(reason: "the packet's deadline passed before the delivery completed")) {
                report.expired += 1
            }
        }
        for id in try await packets.abandonedUploads(now: now, limit: batch) {
            for delivery in try await packets.deliveries(of: id) where !delivery.state.isFinal {
                // Each expiry re-reads the packet, so the last one sees every delivery final and finishes it.
                if try await moveIfStill(delivery, on: .expire(reason: "the content was not uploaded before the upload space closed")) {
                    report.abandoned += 1
                }
            }
        }
        report.undeliverable = try await giveUpOnOfflineDestinations(now: now, batch: batch)
        for id in try await packets.packetsToPurge(limit: batch) {
            try await finishIfComplete(id)
            report.purged += 1
        }
        return report
    }

    /// Applies `event` unless another node moved the delivery first; true if applied.
    func moveIfStill(_ delivery: Delivery, on event: DeliveryStateMachine.Event, lastSeen: Date? = nil) async throws -> Bool {
        guard let summary = try await packets.record(delivery.packetID),
            let current = summary.deliveries.first(where: { $0.appID == delivery.appID }), current.state == delivery.state
        else { return false }
        do {
            _ = try await move(current, of: summary.packet, on: event, siblings: summary.deliveries, lastSeen: lastSeen)
            return true
        } catch let error as LGSPError where error.code == .invalidTransition || error.code == .deliveryFinal {
            return false
        }
    }

    /// If every delivery of the packet is final: finishes it (see `finish`). Idempotent.
    func finishIfComplete(_ id: PacketID) async throws {
        guard let summary = try await packets.record(id) else { return }
        try await finish(summary.packet, deliveries: summary.deliveries)
    }

    /// When every delivery is final: deletes the content and its converted variants, then records the packet finished and purged
    /// (destroying its key) in one write. A crash in between leaves the packet for the next sweep.
    func finish(_ packet: Packet, deliveries: [Delivery]) async throws {
        guard deliveries.allSatisfy(\.state.isFinal), packet.purgedAt == nil || packet.state != .finished else { return }
        let now = clock.now()
        try await blobs.delete(packet.id)
        for blob in Set(deliveries.compactMap(\.variant?.blob)) { try await blobs.delete(blob) }
        try await apply(
            [], packetUpdate: PacketUpdate(id: packet.id, state: .finished, finishedAt: packet.finishedAt ?? now, purgedAt: now), events: [])
        logger.info("packet content purged", metadata: ["packet": "\(packet.id)"])
    }
}
