import Foundation

/// A download space granted to a destination (Article 9 step 2).
public struct DownloadSpace: Sendable, Hashable {
    public var packet: Packet
    public var delivery: Delivery
    public var expiresAt: Date
}

/// What a destination may read: the packet, its key and the bytes to serve.
public struct DownloadGrant: Sendable {
    public var packet: Packet
    public var key: ContentKey
    /// What the delivery serves: the packet's content, or its converted variant.
    public var content: ContentDescriptor
    /// Where those bytes are stored in the `BlobStore`.
    public var blob: PacketID
}

extension Exchange {
    /// Article 9 step 1: the packets waiting for the caller, flash first, then oldest first.
    public func inbox(for caller: Caller, limit: Int) async throws -> [InboxEntry] {
        _ = try caller.requireUnit(for: "receive packets")
        return try await packets.inbox(appID: caller.app.id, limit: max(1, min(limit, 1000)))
    }

    /// Article 9 step 2: the destination says it is ready; the hub returns a download space.
    /// Accepting again renews the space. Throws `exchange.not_recipient`, `exchange.content_not_ready`,
    /// or `exchange.delivery_final` (already acknowledged, rejected or expired).
    public func accept(_ id: PacketID, by caller: Caller) async throws -> DownloadSpace {
        let (record, delivery) = try await recipientDelivery(id, caller: caller)
        let packet = record.packet
        let now = clock.now()
        let expiresAt = now.addingTimeInterval(configuration.downloadWindow)
        var updated = delivery
        var plan = TransitionPlan(packet: packet, at: now)
        try plan.add(.accept, to: &updated, downloadExpiresAt: expiresAt)
        try await apply(plan.changes, packetUpdate: nil, events: plan.events)
        updated.downloadExpiresAt = expiresAt
        return DownloadSpace(packet: packet, delivery: updated, expiresAt: expiresAt)
    }

    /// Article 9 step 3: checks that the caller may read the content now and returns what is needed to stream it.
    public func openDownload(_ id: PacketID, by caller: Caller) async throws -> DownloadGrant {
        let (record, delivery) = try await recipientDelivery(id, caller: caller)
        let packet = record.packet
        switch delivery.state {
        case .accepted:
            break
        case .ready, .notified:
            throw LGSPError(.notAccepted, "accept packet \(id) first (POST /v1/packets/\(id)/accept) to get a download space")
        case .created, .uploaded, .handedOff:
            throw LGSPError(.contentNotReady, "the content of packet \(id) is not ready for this destination yet")
        case .delivered, .rejected, .expired, .undeliverable, .transformFailed:
            throw LGSPError(.deliveryFinal, "the delivery of packet \(id) to this app is already \(delivery.state.rawValue)",
                details: ["state": delivery.state.rawValue])
        }
        if let expiresAt = delivery.downloadExpiresAt, expiresAt <= clock.now() {
            throw LGSPError(.downloadExpired, "the download space of packet \(id) closed at \(expiresAt.iso8601); accept the packet again to renew it")
        }
        return DownloadGrant(packet: packet, key: try contentKey(of: record), content: delivery.content(of: packet), blob: delivery.blob(of: packet))
    }

    /// Article 9 step 3: the destination confirms receipt with the SHA-256 of what it received (the
    /// converted content's, for a delivery that was converted). A wrong digest is refused (`exchange.ack_digest_mismatch`) and changes nothing. When every
    /// delivery of the packet is final, the content is purged.
    public func acknowledge(_ id: PacketID, sha256: ContentDigest, by caller: Caller) async throws -> Delivery {
        let (record, delivery) = try await recipientDelivery(id, caller: caller)
        let packet = record.packet
        let served = delivery.content(of: packet)
        if delivery.state == .accepted, sha256 != served.sha256 {
            throw LGSPError(.ackDigestMismatch, "the acknowledged SHA-256 \(sha256.hex) differs from the \(delivery.variant == nil ? "packet's" : "converted content's") \(served.sha256.hex); download the content again",
                field: "sha256")
        }
        return try await move(delivery, of: packet, on: .acknowledge, siblings: record.deliveries)
    }

    /// The destination refuses the packet, with a reason told to the source.
    public func reject(_ id: PacketID, reason: String, by caller: Caller) async throws -> Delivery {
        let trimmed = reason.trimmingASCIIWhitespace()
        guard !trimmed.isEmpty, trimmed.count <= 2000 else {
            throw LGSPError(.invalidField, "a rejection needs a reason of 1 to 2000 characters", field: "reason")
        }
        let (record, delivery) = try await recipientDelivery(id, caller: caller)
        return try await move(delivery, of: record.packet, on: .reject(reason: trimmed), siblings: record.deliveries)
    }

    /// Applies one event to one delivery; if that made every delivery of the packet final (judged from
    /// `siblings`, the deliveries read with the packet), finishes the packet. Two deliveries becoming
    /// final at the same moment may each miss the other: the maintenance sweep then finishes the packet.
    func move(
        _ delivery: Delivery, of packet: Packet, on event: DeliveryStateMachine.Event, siblings: [Delivery]? = nil, lastSeen: Date? = nil
    ) async throws -> Delivery {
        var updated = delivery
        var plan = TransitionPlan(packet: packet, at: clock.now())
        plan.destinationLastSeen = lastSeen
        try plan.add(event, to: &updated)
        try await apply(plan.changes, packetUpdate: nil, events: plan.events)
        if plan.reachedFinal {
            if let siblings {
                let all = siblings.map { $0.appID == updated.appID ? updated : $0 }
                try await finish(packet, deliveries: all)
            } else {
                try await finishIfComplete(packet.id)
            }
        }
        return updated
    }

    private func recipientDelivery(_ id: PacketID, caller: Caller) async throws -> (PacketRecord, Delivery) {
        let record = try await record(id)
        guard let delivery = record.deliveries.first(where: { $0.appID == caller.app.id }) else {
            throw LGSPError(.notRecipient, "app \(caller.app.accessKey) is not a destination of packet \(id)")
        }
        return (record, delivery)
    }
}
