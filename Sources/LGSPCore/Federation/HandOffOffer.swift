import Foundation

/// A packet offered by a peer hub (store-and-forward hand-off): the same id, digest and priority
/// as at its origin, for the recipients the offering hub routed to this hub.
public struct HandOffOffer: Sendable, Hashable, Codable {
    public var id: PacketID
    /// The hub where the packet entered the platform.
    public var originHub: String
    /// The source unit and the source app's access key at the origin hub (kept as metadata).
    public var sourceUnit: UnitCode
    public var sourceApp: String
    public var recipients: [UnitCode]
    public var subject: String
    public var priority: Priority
    public var dataType: DataType
    public var exchangeProtocol: String
    public var content: ContentDescriptor
    public var policy: PacketPolicy
    /// When the source sent the packet (ordering by age holds across hubs).
    public var createdAt: Date

    public init(
        id: PacketID, originHub: String, sourceUnit: UnitCode, sourceApp: String, recipients: [UnitCode], subject: String,
        priority: Priority, dataType: DataType, exchangeProtocol: String, content: ContentDescriptor, policy: PacketPolicy, createdAt: Date
    ) {
        self.id = id
        self.originHub = originHub
        self.sourceUnit = sourceUnit
        self.sourceApp = sourceApp
        self.recipients = recipients
        self.subject = subject
        self.priority = priority
        self.dataType = dataType
        self.exchangeProtocol = exchangeProtocol
        self.content = content
        self.policy = policy
        self.createdAt = createdAt
    }

    /// The offer of `packet` for the recipients in `recipients`.
    public init(packet: Packet, recipients: [UnitCode], sourceApp: String) {
        self.init(
            id: packet.id, originHub: packet.originHub, sourceUnit: packet.sourceUnit, sourceApp: sourceApp, recipients: recipients,
            subject: packet.subject, priority: packet.priority, dataType: packet.dataType, exchangeProtocol: packet.exchangeProtocol,
            content: packet.content, policy: packet.policy, createdAt: packet.createdAt)
    }
}

/// A recipient of an offer the receiving hub refused, with its error (the peer's reason).
public struct RefusedRecipient: Sendable, Hashable, Codable {
    public var recipient: UnitCode
    public var code: String
    public var message: String

    public init(recipient: UnitCode, code: String, message: String) {
        self.recipient = recipient
        self.code = code
        self.message = message
    }
}

/// What the receiving hub holds of an offered packet.
public enum HandOffIntake: Sendable, Hashable {
    /// The packet is stored (or was already) and waits for its content, from byte 0.
    case awaitingContent(Packet, refused: [RefusedRecipient])
    /// The packet and its verified content are held: the receiving hub has taken responsibility.
    case held(Packet, accepted: [UnitCode], refused: [RefusedRecipient])
}

/// One delivery state reported back by the hub a packet was handed to.
public struct RemoteStatus: Sendable, Hashable, Codable {
    public var packetId: PacketID
    public var recipient: UnitCode
    public var state: DeliveryState
    public var reason: String?
    public var at: Date

    public init(packetId: PacketID, recipient: UnitCode, state: DeliveryState, reason: String?, at: Date) {
        self.packetId = packetId
        self.recipient = recipient
        self.state = state
        self.reason = reason
        self.at = at
    }
}
