import Foundation

/// What one maintenance pass did.
public struct MaintenanceReport: Sendable, Hashable {
    public var madeReady = 0
    public var expired = 0
    public var abandoned = 0
    public var purged = 0

    public var isEmpty: Bool { madeReady + expired + abandoned + purged == 0 }
}

extension Exchange {
    /// One pass of time-driven work: deliveries whose not-before time came become ready; deadlines
    /// expire deliveries; packets whose upload space closed without content expire; finished packets
    /// left unpurged (after a crash) are purged. Safe to run on several nodes at once: every change is
    /// a compare-and-set, and a lost race is skipped.
    public func runMaintenance(batch: Int = 200) async throws -> MaintenanceReport {
        var report = MaintenanceReport()
        let now = clock.now()
        for delivery in try await packets.dueDeliveries(now: now, limit: batch) {
            if try await moveIfStill(delivery, on: .due) { report.madeReady += 1 }
        }
        for delivery in try await packets.overdueDeliveries(now: now, limit: batch) {
            if try await moveIfStill(delivery, on: .expire(reason: "the packet's deadline passed before the delivery completed")) {
                report.expired += 1
            }
        }
        for id in try await packets.abandonedUploads(now: now, limit: batch) {
            for delivery in try await packets.deliveries(of: id) where !delivery.state.isFinal {
                if try await moveIfStill(delivery, on: .expire(reason: "the content was not uploaded before the upload space closed")) {
                    report.abandoned += 1
                }
            }
        }
        for id in try await packets.packetsToPurge(limit: batch) {
            try await finishIfComplete(id)
            report.purged += 1
        }
        return report
    }

    /// Applies `event` unless another node moved the delivery first; true if applied.
    private func moveIfStill(_ delivery: Delivery, on event: DeliveryStateMachine.Event) async throws -> Bool {
        guard let packet = try await packets.packet(delivery.packetID) else { return false }
        do {
            _ = try await move(delivery, of: packet, on: event)
            return true
        } catch let error as LGSPError where error.code == .invalidTransition || error.code == .deliveryFinal {
            return false
        }
    }

    /// If every delivery of the packet is final: marks it finished, deletes its content and destroys its key.
    /// Idempotent: a second call finds nothing to do.
    func finishIfComplete(_ id: PacketID) async throws {
        let deliveries = try await packets.deliveries(of: id)
        guard deliveries.allSatisfy(\.state.isFinal), let packet = try await packets.packet(id) else { return }
        let now = clock.now()
        if packet.state != .finished {
            try await packets.apply([], packetUpdate: PacketUpdate(id: id, state: .finished, finishedAt: now), events: [])
        }
        if packet.purgedAt == nil {
            try await blobs.delete(id)
            try await packets.markPurged(id, at: now)
            logger.info("packet content purged", metadata: ["packet": "\(id)"])
        }
    }
}
