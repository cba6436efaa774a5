import LGSPAPI
import LGSPCore

/// Domain values in their wire form.
extension ContentInfo {
    init(_ content: ContentDescriptor) {
        self.init(size: content.size, sha256: content.sha256.hex, mediaType: content.mediaType)
    }
}

extension DeliveryBody {
    init(_ delivery: Delivery, history: [DeliveryHistoryEntry]? = nil) {
        self.init(
            recipient: delivery.recipient, appId: delivery.appID, state: delivery.state, updatedAt: delivery.updatedAt,
            reason: delivery.reason,
            history: history?.filter { $0.appID == delivery.appID }.map { HistoryBody(state: $0.state, at: $0.at, reason: $0.reason) })
    }
}

extension PacketBody {
    init(_ packet: Packet, deliveries: [Delivery], history: [DeliveryHistoryEntry]?, receivedBytes: Int64? = nil) {
        self.init(
            id: packet.id, from: packet.sourceUnit, to: packet.recipients, subject: packet.subject, priority: packet.priority,
            dataType: packet.dataType.rawValue, protocol: packet.exchangeProtocol, content: ContentInfo(packet.content),
            policy: PolicyBody(notBefore: packet.policy.notBefore, deadline: packet.policy.deadline), idempotencyKey: packet.idempotencyKey,
            state: packet.state, createdAt: packet.createdAt, uploadExpiresAt: packet.uploadExpiresAt, uploadedAt: packet.uploadedAt,
            finishedAt: packet.finishedAt, purgedAt: packet.purgedAt, contentAvailable: packet.purgedAt == nil && packet.uploadedAt != nil,
            receivedBytes: receivedBytes, originHub: packet.originHub,
            deliveries: deliveries.map { DeliveryBody($0, history: history) })
    }
}

extension InboxItem {
    init(_ entry: InboxEntry) {
        self.init(
            id: entry.packet.id, from: entry.packet.sourceUnit, recipient: entry.delivery.recipient, subject: entry.packet.subject,
            priority: entry.packet.priority, dataType: entry.packet.dataType.rawValue, content: ContentInfo(entry.packet.content),
            state: entry.delivery.state, createdAt: entry.packet.createdAt, deadline: entry.packet.policy.deadline)
    }
}

extension UnitBody {
    init(_ unit: Unit) {
        self.init(code: unit.code, name: unit.name, parent: unit.parent, status: unit.status, createdAt: unit.createdAt)
    }
}

extension AppBody {
    init(_ app: App) {
        self.init(
            id: app.id, unit: app.unit, name: app.name, accessKey: app.accessKey, role: app.role, status: app.status,
            receives: app.receives.items, createdAt: app.createdAt)
    }
}
