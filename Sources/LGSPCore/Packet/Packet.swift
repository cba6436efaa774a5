import Foundation

/// One exchange (gói tin liên thông): header, declared content and policy, with one delivery per destination app.
///
/// The packet's metadata, digest and history are kept; its content is deleted as soon as every
/// delivery is final (`purgedAt`).
public struct Packet: Sendable, Hashable, Codable {
    public var id: PacketID
    /// The app that sent it.
    public var sourceAppID: String
    /// The unit of the app that sent it.
    public var sourceUnit: UnitCode
    /// Destination units (canonical codes): those the source named, except that a code replaced
    /// after a reorganisation is here as the unit that receives for it (see `redirects`).
    public var recipients: [UnitCode]
    public var subject: String
    public var priority: Priority
    public var dataType: DataType
    /// The exchange protocol the source used (`rest`, `soap`, `file`, …).
    public var exchangeProtocol: String
    public var content: ContentDescriptor
    public var policy: PacketPolicy
    /// The source's key that makes a repeated send request return the same packet.
    public var idempotencyKey: String?
    public var state: PacketState
    public var createdAt: Date
    /// The upload space closes at this instant.
    public var uploadExpiresAt: Date
    public var uploadedAt: Date?
    /// When every delivery became final.
    public var finishedAt: Date?
    /// When the content was deleted.
    public var purgedAt: Date?
    /// The hub where the packet entered the platform.
    public var originHub: String
    /// Named recipients the hub resolved to another unit because they were replaced (Article 7).
    public var redirects: [RecipientRedirect]

    public init(
        id: PacketID, sourceAppID: String, sourceUnit: UnitCode, recipients: [UnitCode], subject: String,
        priority: Priority, dataType: DataType, exchangeProtocol: String, content: ContentDescriptor,
        policy: PacketPolicy, idempotencyKey: String?, state: PacketState, createdAt: Date, uploadExpiresAt: Date,
        uploadedAt: Date? = nil, finishedAt: Date? = nil, purgedAt: Date? = nil, originHub: String, redirects: [RecipientRedirect] = []
    ) {
        self.id = id
        self.sourceAppID = sourceAppID
        self.sourceUnit = sourceUnit
        self.recipients = recipients
        self.subject = subject
        self.priority = priority
        self.dataType = dataType
        self.exchangeProtocol = exchangeProtocol
        self.content = content
        self.policy = policy
        self.idempotencyKey = idempotencyKey
        self.state = state
        self.createdAt = createdAt
        self.uploadExpiresAt = uploadExpiresAt
        self.uploadedAt = uploadedAt
        self.finishedAt = finishedAt
        self.purgedAt = purgedAt
        self.originHub = originHub
        self.redirects = redirects
    }
}

/// Where a packet is in its life.
public enum PacketState: String, Sendable, Codable, CaseIterable {
    /// The upload space is open; no verified content yet.
    case awaitingUpload = "awaiting_upload"
    /// Content verified and stored; deliveries under way.
    case inTransit = "in_transit"
    /// Every delivery is final; the content is purged.
    case finished
}
