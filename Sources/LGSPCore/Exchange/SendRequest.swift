/// A source's request to send a packet (yêu cầu liên thông), as decoded from any adapter.
public struct SendRequest: Sendable, Hashable {
    /// Destination unit codes as written by the source (parsed leniently, then checked in the directory).
    public var to: [String]
    public var subject: String
    public var priority: Priority
    public var dataType: DataType
    public var exchangeProtocol: String
    public var content: ContentDescriptor
    public var policy: PacketPolicy
    public var idempotencyKey: String?

    public init(
        to: [String], subject: String, priority: Priority = .normal, dataType: DataType, exchangeProtocol: String = "rest",
        content: ContentDescriptor, policy: PacketPolicy = PacketPolicy(), idempotencyKey: String? = nil
    ) {
        self.to = to
        self.subject = subject
        self.priority = priority
        self.dataType = dataType
        self.exchangeProtocol = exchangeProtocol
        self.content = content
        self.policy = policy
        self.idempotencyKey = idempotencyKey
    }
}
