import Foundation

/// A packet on its way to one destination app of one recipient unit.
public struct Delivery: Sendable, Hashable, Codable {
    public var packetID: PacketID
    /// The recipient unit.
    public var recipient: UnitCode
    /// The app of that unit that receives the packet.
    public var appID: String
    public var state: DeliveryState
    /// When the state last changed.
    public var updatedAt: Date
    /// Why the delivery ended as it did (rejection reason, expiry cause…), if told.
    public var reason: String?
    /// When the current download space closes (set on accept).
    public var downloadExpiresAt: Date?
    /// The converted content offered instead of the packet's own; nil: the content as sent.
    public var variant: ContentVariant?

    public init(
        packetID: PacketID, recipient: UnitCode, appID: String, state: DeliveryState, updatedAt: Date,
        reason: String? = nil, downloadExpiresAt: Date? = nil, variant: ContentVariant? = nil
    ) {
        self.packetID = packetID
        self.recipient = recipient
        self.appID = appID
        self.state = state
        self.updatedAt = updatedAt
        self.reason = reason
        self.downloadExpiresAt = downloadExpiresAt
        self.variant = variant
    }
}

/// One recorded state change of a delivery: the packet's history is the list of these.
public struct DeliveryHistoryEntry: Sendable, Hashable, Codable {
    public var packetID: PacketID
    public var recipient: UnitCode
    public var appID: String
    public var state: DeliveryState
    public var at: Date
    public var reason: String?

    public init(packetID: PacketID, recipient: UnitCode, appID: String, state: DeliveryState, at: Date, reason: String?) {
        self.packetID = packetID
        self.recipient = recipient
        self.appID = appID
        self.state = state
        self.at = at
        self.reason = reason
    }
}

/// A state change to apply atomically: the store refuses it if the delivery is no longer in `from`.
public struct DeliveryChange: Sendable, Hashable {
    public var packetID: PacketID
    public var appID: String
    public var from: DeliveryState
    public var to: DeliveryState
    public var at: Date
    public var reason: String?
    /// A new download window, set when the destination accepts.
    public var downloadExpiresAt: Date?
    /// The converted content the delivery offers from now on, set when it is offered after a conversion.
    public var variant: ContentVariant?

    public init(
        packetID: PacketID, appID: String, from: DeliveryState, to: DeliveryState, at: Date,
        reason: String? = nil, downloadExpiresAt: Date? = nil, variant: ContentVariant? = nil
    ) {
        self.packetID = packetID
        self.appID = appID
        self.from = from
        self.to = to
        self.at = at
        self.reason = reason
        self.downloadExpiresAt = downloadExpiresAt
        self.variant = variant
    }
}
