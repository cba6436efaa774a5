import Foundation
import LGSPCore

/// The exchange's observer in the server: packet activity goes to the audit log (with whoever the
/// current request's `AuditScope` names, `system` for the hub's sweeps) and to the metrics.
struct HubActivity: ExchangeObserver {
    let audit: AuditRecorder
    let metrics: HubMetrics
    let packets: any PacketStore

    /// Internal hops recorded in delivery history but not in the audit log.
    static let unaudited: Set<DeliveryState> = [.ready, .notified]

    func packetCreated(_ packet: Packet, deliveries: [Delivery]) {
        metrics.packetsCreated.increment()
        audit.record(
            "packet.created",
            target: "packet \(packet.id) from \(packet.sourceUnit) to \(packet.recipients.map(\.description).joined(separator: ",")) (\(packet.dataType))")
    }

    func deliveriesChanged(_ changes: [DeliveryChange]) {
        for change in changes {
            metrics.transitions[change.to]?.increment()
            guard !Self.unaudited.contains(change.to) else { continue }
            let reason = change.reason.map { " (\($0.prefix(200)))" } ?? ""
            audit.record("packet.\(change.to.rawValue)", target: "packet \(change.packetID) delivery to app \(change.appID)\(reason)")
        }
        let delivered = changes.filter { $0.to == .delivered }
        guard !delivered.isEmpty else { return }
        // The latency needs the packet's upload time: read it beside the request, not in its way.
        Task { [packets, metrics] in
            for change in delivered {
                guard let uploaded = try? await packets.packet(change.packetID)?.uploadedAt else { continue }
                metrics.deliveryLatency.record(.milliseconds(Int64(max(0, change.at.timeIntervalSince(uploaded)) * 1000)))
            }
        }
    }
}
