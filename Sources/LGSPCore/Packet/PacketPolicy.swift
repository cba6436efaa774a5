import Foundation

/// The rules a source attaches to a packet (chính sách liên thông).
public struct PacketPolicy: Sendable, Hashable, Codable {
    /// Deliveries are not offered to destinations before this instant.
    public var notBefore: Date?
    /// Deliveries not acknowledged by this instant expire, and the source is told.
    public var deadline: Date?

    public init(notBefore: Date? = nil, deadline: Date? = nil) {
        self.notBefore = notBefore
        self.deadline = deadline
    }
}
