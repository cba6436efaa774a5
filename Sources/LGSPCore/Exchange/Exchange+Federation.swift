import Foundation
import NIOCore

/// Federation (issue #7): the exchange's side of a store-and-forward link between hubs. The link
/// itself (HTTP, retries, circuit breaker) is the server's; these use cases only move deliveries.
///
/// Near hub: a remote recipient's delivery (`UpstreamAddress`) becomes `ready` and waits in its
/// peer's queue; `recordHandOff` moves it `handed_off` once the peer signed for it and purges the
/// content when no delivery needs it any more; `applyRemoteStatus` brings the far hub's outcome.
/// Far hub: `receiveHandOff` stores the offered packet under the same id, its source being the
/// peer's app, so its status changes become that app's events, which the link reports back.
extension Exchange {
    /// Stores a packet offered by a peer hub, or finds it if it is already held (duplicates are
    /// suppressed by packet id).
    ///
    /// Each recipient is resolved like a send's: a unit of this directory with receiving apps, or a
    /// code another peer serves (the national role forwards; never back to the offering peer).
    /// Recipients that fail are returned as refused, with their error; if every recipient fails, the
    /// first failure is thrown (`exchange.unknown_recipient`, `exchange.no_receiving_app`, …).
    /// Throws `federation.not_peer` when the caller is not a peer hub and
    /// `federation.packet_conflict` when the id is held with another digest or size.
    public func receiveHandOff(_ offer: HandOffOffer, from caller: Caller) async throws -> HandOffIntake {
        guard caller.app.role == .peer else {
            throw LGSPError(.notPeer, "only a peer hub may hand packets off; app \(caller.app.accessKey) is not one")
        }
        if let held = try await packets.record(offer.id) {
            guard held.packet.content.sha256 == offer.content.sha256, held.packet.content.size == offer.content.size else {
                throw LGSPError(.packetConflict, "packet \(offer.id) is already held here with another content digest or size",
                    details: ["sha256": held.packet.content.sha256.hex])
            }
            if held.packet.uploadedAt != nil {
                return .held(held.packet, accepted: held.packet.recipients, refused: [])
            }
            return .awaitingContent(held.packet, refused: [])
        }
        let now = clock.now()
        var recipients: [Recipient] = []
        var refused: [RefusedRecipient] = []
        var failures: [LGSPError] = []
        for code in offer.recipients.uniqued() {
            do {
                recipients.append(try await handOffRecipient(code, dataType: offer.dataType, from: caller))
            } catch let error as LGSPError {
                failures.append(error)
                refused.append(RefusedRecipient(recipient: code, code: error.code.rawValue, message: error.message))
            }
        }
        if recipients.isEmpty {
            throw failures.first ?? LGSPError(.noRecipients, "the offer of packet \(offer.id) names no recipient", field: "recipients")
        }
        let packet = Packet(
            id: offer.id, sourceAppID: caller.app.id, sourceUnit: offer.sourceUnit, recipients: recipients.map(\.unit), subject: offer.subject,
            priority: offer.priority, dataType: offer.dataType, exchangeProtocol: offer.exchangeProtocol, content: offer.content,
            policy: offer.policy, idempotencyKey: nil, state: .awaitingUpload, createdAt: offer.createdAt,
            uploadExpiresAt: now.addingTimeInterval(configuration.uploadWindow), originHub: offer.originHub)
        let deliveries = recipients.flatMap { $0.deliveries(of: offer.id, at: now) }
        let sealedKey = ContentKey.generate().sealed(with: masterKey, packet: offer.id)
        _ = try await packets.insert(packet, deliveries: deliveries, sealedContentKey: sealedKey)
        observer?.packetCreated(packet, deliveries: deliveries)
        logger.info("packet received from peer", metadata: ["packet": "\(offer.id)", "peer": "\(caller.app.name)", "origin": "\(offer.originHub)"])
        return .awaitingContent(packet, refused: refused)
    }

    /// One recipient of an offer: local apps, or another peer (not the offering one).
    private func handOffRecipient(_ code: UnitCode, dataType: DataType, from caller: Caller) async throws -> Recipient {
        let unit: Unit
        switch try await UnitRoute.resolve(code, lookup: { try await directory.unit($0) }) {
        case .current(let current), .redirected(let current, _):
            unit = current
        case .unknown:
            if let peer = configuration.router.upstreamPeer(for: code), peer != caller.app.name {
                return Recipient(unit: code, apps: [], upstream: peer)
            }
            throw LGSPError(.unknownRecipient, "recipient \(code) is not in the directory of hub \(configuration.hubName)")
        case .inactive(let dead):
            throw LGSPError(.recipientInactive, "recipient \(code) (\(dead.name)) is inactive at hub \(configuration.hubName)")
        case .split(let old, _):
            throw LGSPError(.recipientReplaced, "recipient \(code) (\(old.name)) was split at hub \(configuration.hubName)")
        }
        let apps = try await directory.apps(unit: unit.code).filter { $0.status == .active && $0.role == .app && $0.receives.contains(dataType) }
        guard !apps.isEmpty else {
            throw LGSPError(.noReceivingApp, "recipient \(unit.code) (\(unit.name)) has no active app that receives \(dataType) at hub \(configuration.hubName)")
        }
        return Recipient(unit: unit.code, apps: apps)
    }

    /// Near hub: the peer signed for the packet. The peer's deliveries of `accepted` recipients
    /// become `handed_off` (the source hears it), those it refused `undeliverable` with the peer's
    /// reason; then the content is purged if no delivery needs it. Idempotent: deliveries already
    /// moved are left alone. Returns how many deliveries moved.
    @discardableResult
    public func recordHandOff(_ id: PacketID, peer: String, accepted: [UnitCode], refused: [RefusedRecipient]) async throws -> Int {
        guard let record = try await packets.record(id) else { return 0 }
        var plan = TransitionPlan(packet: record.packet, at: clock.now())
        for var delivery in record.deliveries where delivery.upstream?.peer == peer && [.ready, .notified].contains(delivery.state) {
            if let refusal = refused.first(where: { $0.recipient == delivery.recipient }) {
                try plan.add(.giveUp(reason: "\(peer): \(refusal.code): \(refusal.message)"), to: &delivery)
            } else if accepted.contains(delivery.recipient) {
                try plan.add(.handOff, to: &delivery)
            }
        }
        guard !plan.changes.isEmpty else { return 0 }
        try await apply(plan.changes, packetUpdate: nil, events: plan.events)
        try await releaseContent(id)
        return plan.changes.count
    }

    /// Near hub: the peer refused the whole offer for good (every recipient unknown there, …): the
    /// peer's waiting deliveries of the packet end `undeliverable` with `reason`.
    public func refuseHandOff(_ id: PacketID, peer: String, reason: String) async throws {
        guard let record = try await packets.record(id) else { return }
        var plan = TransitionPlan(packet: record.packet, at: clock.now())
        for var delivery in record.deliveries where delivery.upstream?.peer == peer && [.ready, .notified].contains(delivery.state) {
            try plan.add(.giveUp(reason: "\(peer): \(reason)"), to: &delivery)
        }
        guard !plan.changes.isEmpty else { return }
        try await apply(plan.changes, packetUpdate: nil, events: plan.events)
        try await releaseContent(id)
    }

    /// Near hub: applies the final states the peer reports for the deliveries it carries; other
    /// states and unknown packets are skipped (a status may outlive a purge). A report for a delivery
    /// whose hand-off receipt was not recorded yet (a crash in between) records the hand-off first.
    /// Returns how many deliveries changed. Throws `federation.not_peer` for a caller that is no peer.
    @discardableResult
    public func applyRemoteStatus(_ reports: [RemoteStatus], from caller: Caller) async throws -> Int {
        guard caller.app.role == .peer else {
            throw LGSPError(.notPeer, "only a peer hub may report delivery statuses; app \(caller.app.accessKey) is not one")
        }
        var applied = 0
        for report in reports where report.state.isFinal {
            guard let record = try await packets.record(report.packetId) else { continue }
            let appID = UpstreamAddress(peer: caller.app.name, recipient: report.recipient).appID
            guard var delivery = record.deliveries.first(where: { $0.appID == appID }), !delivery.state.isFinal else { continue }
            var plan = TransitionPlan(packet: record.packet, at: clock.now())
            if delivery.state != .handedOff { try plan.add(.handOff, to: &delivery) }
            try plan.add(.remoteOutcome(report.state, reason: report.reason), to: &delivery)
            do {
                try await apply(plan.changes, packetUpdate: nil, events: plan.events)
            } catch let error as LGSPError where error.code == .invalidTransition || error.code == .deliveryFinal {
                continue
            }
            applied += 1
            try await releaseContent(report.packetId)
        }
        return applied
    }

    /// Deletes the content once every delivery is final or handed off; finishes the packet when every delivery is final.
    func releaseContent(_ id: PacketID) async throws {
        guard let record = try await packets.record(id) else { return }
        if record.deliveries.allSatisfy(\.state.isFinal) {
            try await finish(record.packet, deliveries: record.deliveries)
            return
        }
        guard record.packet.purgedAt == nil, record.deliveries.allSatisfy(\.state.releasesContent) else { return }
        try await blobs.delete(id)
        for blob in Set(record.deliveries.compactMap(\.variant?.blob)) { try await blobs.delete(blob) }
        try await apply([], packetUpdate: PacketUpdate(id: id, purgedAt: clock.now()), events: [])
        logger.info("packet content purged after hand-off", metadata: ["packet": "\(id)"])
    }

    /// The packet's content for a hand-off, read in chunks as the link sends them (constant memory),
    /// or `exchange.content_purged`.
    public func handOffContent(_ id: PacketID) async throws -> HandOffContent {
        let record = try await record(id)
        return HandOffContent(blobs: blobs, id: id, key: try contentKey(of: record), size: record.packet.content.size)
    }
}

/// A packet's stored content as an async sequence of buffers, each read from the blob store when asked for.
public struct HandOffContent: AsyncSequence, Sendable {
    public typealias Element = ByteBuffer
    let blobs: any BlobStore
    let id: PacketID
    let key: ContentKey
    public let size: Int64
    static let chunk: Int64 = 1 << 20

    public struct AsyncIterator: AsyncIteratorProtocol {
        let content: HandOffContent
        var offset: Int64 = 0

        public mutating func next() async throws -> ByteBuffer? {
            guard offset < content.size else { return nil }
            let end = Swift.min(content.size, offset + HandOffContent.chunk)
            var buffer = ByteBuffer()
            try await content.blobs.read(content.id, key: content.key, range: offset..<end) { part in
                var part = part
                buffer.writeBuffer(&part)
            }
            offset = end
            return buffer
        }
    }

    public func makeAsyncIterator() -> AsyncIterator { AsyncIterator(content: self) }
}
