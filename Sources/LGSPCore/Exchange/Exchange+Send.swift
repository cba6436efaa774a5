import Foundation

/// The result of a send request: the packet and its deliveries, and whether it was a replay.
public struct SendReceipt: Sendable, Hashable {
    public var packet: Packet
    public var deliveries: [Delivery]
    /// True when the idempotency key matched an earlier request: nothing new was created.
    public var replayed: Bool
}

extension Exchange {
    /// Article 8 steps 1–2: checks a send request and, if valid, creates the packet and grants an upload space.
    ///
    /// Checks, each with its own error code: the caller is a unit's app; 1 to `maxRecipients`
    /// recipients; every recipient is a registered, active unit (or one replaced by a single
    /// successor, which then receives: `Packet.redirects`) the caller is granted to send this
    /// data type to, with at least one app receiving it; the subject is present and not too long;
    /// the declared size is within limits; the policy is coherent. A repeated idempotency key returns
    /// the first packet (`replayed`), or `exchange.idempotency_conflict` if the request differs.
    public func send(_ request: SendRequest, by caller: Caller) async throws -> SendReceipt {
        let sourceUnit = try caller.requireUnit(for: "send packets")
        let now = clock.now()
        try validateShape(of: request, now: now)

        let resolved = try await resolveRecipients(request, caller: caller)
        let recipients = resolved.recipients
        let id = PacketID.generate(at: now)
        let packet = Packet(
            id: id, sourceAppID: caller.app.id, sourceUnit: sourceUnit, recipients: recipients.map(\.unit),
            subject: request.subject, priority: request.priority, dataType: request.dataType,
            exchangeProtocol: request.exchangeProtocol, content: request.content, policy: request.policy,
            idempotencyKey: request.idempotencyKey, state: .awaitingUpload, createdAt: now,
            uploadExpiresAt: now.addingTimeInterval(configuration.uploadWindow), originHub: configuration.hubName,
            redirects: resolved.redirects)
        let deliveries = recipients.flatMap { $0.deliveries(of: id, at: now) }
        let sealedKey = ContentKey.generate().sealed(with: masterKey, packet: id)
        switch try await packets.insert(packet, deliveries: deliveries, sealedContentKey: sealedKey) {
        case .inserted:
            observer?.packetCreated(packet, deliveries: deliveries)
            logger.info("packet created", metadata: ["packet": "\(id)", "source": "\(sourceUnit)", "deliveries": "\(deliveries.count)"])
            return SendReceipt(packet: packet, deliveries: deliveries, replayed: false)
        case .existing:
            // A request with the same key came first (a retry, or a concurrent twin): answer as it did.
            guard let receipt = try await replay(key: request.idempotencyKey ?? "", request: request, caller: caller) else {
                throw LGSPError(.internalError, "idempotency key collision could not be resolved")
            }
            return receipt
        }
    }

    private func validateShape(of request: SendRequest, now: Date) throws(LGSPError) {
        if request.to.isEmpty {
            throw LGSPError(.noRecipients, "a packet needs at least one recipient unit in 'to'", field: "to")
        }
        if request.to.count > configuration.maxRecipients {
            throw LGSPError(.tooManyRecipients, "a packet may have at most \(configuration.maxRecipients) recipients, got \(request.to.count)", field: "to")
        }
        if request.subject.trimmingASCIIWhitespace().isEmpty {
            throw LGSPError(.missingField, "the packet needs a non-empty subject", field: "subject")
        }
        if request.subject.count > configuration.maxSubjectLength {
            throw LGSPError(.invalidField, "the subject has \(request.subject.count) characters; the limit is \(configuration.maxSubjectLength)", field: "subject")
        }
        if request.content.size < 0 {
            throw LGSPError(.invalidField, "content.size must not be negative", field: "content.size")
        }
        if request.content.size > configuration.maxContentSize {
            throw LGSPError(.contentTooLarge, "content.size \(request.content.size) exceeds the limit of \(configuration.maxContentSize) bytes", field: "content.size",
                details: ["limit": "\(configuration.maxContentSize)"])
        }
        if request.content.mediaType.isEmpty || request.content.mediaType.count > 200 || !request.content.mediaType.contains("/") {
            throw LGSPError(.invalidField, "content.mediaType '\(request.content.mediaType)' is not a media type such as application/pdf", field: "content.mediaType")
        }
        if request.exchangeProtocol.isEmpty || request.exchangeProtocol.count > 32 {
            throw LGSPError(.invalidField, "protocol must be a short name such as rest, soap or file", field: "protocol")
        }
        if let key = request.idempotencyKey, key.isEmpty || key.count > 200 {
            throw LGSPError(.invalidField, "idempotencyKey must have 1 to 200 characters", field: "idempotencyKey")
        }
        if let deadline = request.policy.deadline {
            if deadline <= now {
                throw LGSPError(.invalidPolicy, "policy.deadline \(deadline.iso8601) is already past (hub time \(now.iso8601))", field: "policy.deadline")
            }
            if let notBefore = request.policy.notBefore, notBefore >= deadline {
                throw LGSPError(.invalidPolicy, "policy.notBefore must be earlier than policy.deadline", field: "policy.notBefore")
            }
        }
    }

    /// The earlier packet with this idempotency key, or nil if none; throws if it was a different request.
    private func replay(key: String, request: SendRequest, caller: Caller) async throws -> SendReceipt? {
        let earlier = try await packets.packets(PacketQuery(role: .sent(appID: caller.app.id), limit: 1, idempotencyKey: key))
        guard let packet = earlier.first?.packet else { return nil }
        let sameRecipients = packet.recipients == Self.delivered(request.to, redirects: packet.redirects)
        guard sameRecipients, packet.dataType == request.dataType, packet.content == request.content,
            packet.subject == request.subject
        else {
            throw LGSPError(.idempotencyConflict, "idempotency key '\(key)' was already used for packet \(packet.id) with a different request", field: "idempotencyKey",
                details: ["packetId": packet.id.rawValue])
        }
        return SendReceipt(packet: packet, deliveries: earlier[0].deliveries, replayed: true)
    }
}

extension Array where Element: Hashable {
    /// The elements in order, without repeats.
    func uniqued() -> [Element] {
        var seen = Set<Element>()
        return filter { seen.insert($0).inserted }
    }
}

extension Date {
    /// ISO 8601 text with seconds, in UTC, for messages.
    public var iso8601: String { ISO8601DateFormatter().string(from: self) }
}
