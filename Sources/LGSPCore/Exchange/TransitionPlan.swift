import Foundation

/// Collects the delivery changes and events that a set of state-machine transitions produce, so that a
/// use case applies them in one `PacketStore.apply` call.
struct TransitionPlan {
    let packet: Packet
    let at: Date
    private(set) var changes: [DeliveryChange] = []
    private(set) var events: [HubEvent] = []
    /// Whether some delivery became final (the packet may be finished).
    private(set) var reachedFinal = false
    /// When the destination was last seen, reported with an `undeliverable` state (offline too long).
    var destinationLastSeen: Date?

    init(packet: Packet, at: Date) {
        self.packet = packet
        self.at = at
    }

    /// Plans `event` for `delivery` (updated in place), following `notifyDestination` with the notification.
    /// `variant`: the converted content the delivery offers from this change on.
    mutating func add(
        _ event: DeliveryStateMachine.Event, to delivery: inout Delivery, downloadExpiresAt: Date? = nil, variant: ContentVariant? = nil
    ) throws(LGSPError) {
        let transition = try DeliveryStateMachine.transition(from: delivery.state, on: event)
        changes.append(
            DeliveryChange(
                packetID: packet.id, appID: delivery.appID, from: delivery.state, to: transition.to, at: at,
                reason: transition.reason, downloadExpiresAt: downloadExpiresAt, variant: variant))
        guard transition.changesState else { return }
        if let variant { delivery.variant = variant }
        delivery.state = transition.to
        delivery.reason = transition.reason
        delivery.updatedAt = at
        // Report this state before notifying moves the delivery on (ready, then notified).
        if transition.actions.contains(.reportToSource) { reportToSource(delivery) }
        if transition.actions.contains(.checkPacketFinished) { reachedFinal = true }
        // A delivery a peer link carries stays `ready`: its queue is the link's, not an app's inbox.
        if transition.actions.contains(.notifyDestination), delivery.upstream == nil {
            events.append(available(for: delivery))
            try add(.notificationSent, to: &delivery)
        }
    }

    private mutating func reportToSource(_ delivery: Delivery) {
        let status = EventPayload.Status(
            packetId: packet.id, recipient: delivery.recipient, appId: delivery.appID, state: delivery.state,
            reason: delivery.reason, at: at, lastSeen: delivery.state == .undeliverable ? destinationLastSeen : nil)
        let payload = EventPayload.encode(status)
        events.append(HubEvent(appID: packet.sourceAppID, type: .packetStatus, packetID: packet.id, payload: payload, at: at))
        switch delivery.state {
        case .expired:
            events.append(HubEvent(appID: packet.sourceAppID, type: .deliveryExpired, packetID: packet.id, payload: payload, at: at))
        case .undeliverable:
            events.append(HubEvent(appID: packet.sourceAppID, type: .deliveryUndeliverable, packetID: packet.id, payload: payload, at: at))
        default:
            break
        }
    }

    /// What the destination is offered: the converted variant when there is one, with its own size and digest.
    private func available(for delivery: Delivery) -> HubEvent {
        let content = delivery.content(of: packet)
        let body = EventPayload.Available(
            packetId: packet.id, from: packet.sourceUnit, recipient: delivery.recipient, subject: packet.subject,
            priority: packet.priority, dataType: packet.dataType, size: content.size, sha256: content.sha256,
            mediaType: content.mediaType)
        return HubEvent(appID: delivery.appID, type: .packetAvailable, packetID: packet.id, payload: EventPayload.encode(body), at: at)
    }
}
