import Foundation

/// What the exchange holds right now, across every node sharing the store (`HubStore.figures`).
public struct StoreFigures: Sendable, Hashable {
    /// Packets per state (`PacketState` raw values).
    public var packetsByState: [String: Int] = [:]
    /// Deliveries per state (`DeliveryState` raw values).
    public var deliveriesByState: [String: Int] = [:]
    /// Deliveries waiting for the hub or their destination (uploaded, ready, notified).
    public var queueDepth = 0
    /// When the longest-waiting of them reached its state.
    public var oldestWaitingSince: Date?
    public var openConnections = 0
    public var deadLetters = 0

    public init() {}
}
