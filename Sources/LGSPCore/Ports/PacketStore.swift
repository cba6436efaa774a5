import Foundation

/// Persistence of packets, their deliveries, delivery history and events: the exchange's source of truth.
///
/// Contract (checked by `PacketStoreConformance` in LGSPTesting for every implementation):
/// - Every method that writes does so in one transaction: all of it or none of it.
/// - `apply` is a compare-and-set: each change applies only if the delivery is still in `change.from`;
///   otherwise nothing is written and it throws `exchange.invalid_transition` (or
///   `exchange.delivery_final` when the delivery became final meanwhile). A state change always
///   writes a history entry. A change's `variant` is stored with the delivery and kept by later
///   changes that carry none.
/// - `insert` with an idempotency key already used by the same source app writes nothing and
///   returns `.existing` with that packet's id.
/// - Events get increasing sequence numbers in commit order.
/// - Inbox and due-work queries order by priority (flash first) then age (oldest first).
public protocol PacketStore: Sendable {
    /// Stores a new packet with its deliveries (their first history entries) and sealed content key.
    func insert(_ packet: Packet, deliveries: [Delivery], sealedContentKey: Data) async throws -> PacketInsertOutcome

    func packet(_ id: PacketID) async throws -> Packet?
    /// The packet, its deliveries and its sealed content key, read together (one round trip).
    func record(_ id: PacketID) async throws -> PacketRecord?
    func deliveries(of id: PacketID) async throws -> [Delivery]
    func history(of id: PacketID) async throws -> [DeliveryHistoryEntry]
    /// The sealed per-packet key, or nil once the packet is purged.
    func sealedContentKey(of id: PacketID) async throws -> Data?

    /// Applies delivery changes, an optional packet update and new events atomically (see contract).
    func apply(_ changes: [DeliveryChange], packetUpdate: PacketUpdate?, events: [HubEvent]) async throws

    /// Deliveries offered to `appID` (ready, notified or accepted) with their packets, by priority then age.
    func inbox(appID: String, limit: Int) async throws -> [InboxEntry]
    /// One page of packet history for a role.
    func packets(_ query: PacketQuery) async throws -> [PacketSummary]

    /// Deliveries in `uploaded` whose not-before time has come, by priority then age.
    func dueDeliveries(now: Date, limit: Int) async throws -> [Delivery]
    /// Non-final deliveries whose packet deadline has passed.
    func overdueDeliveries(now: Date, limit: Int) async throws -> [Delivery]
    /// Packets still awaiting upload whose upload space has closed.
    func abandonedUploads(now: Date, limit: Int) async throws -> [PacketID]
    /// Packets whose deliveries are all final but whose content is not purged yet.
    func packetsToPurge(limit: Int) async throws -> [PacketID]
    /// Apps past their offline limit (Article 5.9): their oldest waiting delivery (ready or notified)
    /// has waited longer than the app's own offline limit, else `defaultLimit` (a limit of 0: never),
    /// and the app was not seen (a call or a stream, `PresenceStore`) within that limit either. Each
    /// with the time its oldest waiting delivery reached that state; the longest-waiting first. Only
    /// candidates are returned, so apps that are merely busy never crowd out the ones to give up on.
    func waitingDestinations(pastLimitAt now: Date, defaultLimit: TimeInterval, limit: Int) async throws -> [WaitingDestination]
    /// The app's deliveries that have waited (ready or notified) since `since` or earlier, oldest first.
    func waitingDeliveries(appID: String, since: Date, limit: Int) async throws -> [Delivery]

    /// Events for an app after a sequence number, in order.
    func events(appID: String, after sequence: Int64, limit: Int) async throws -> [HubEvent]
    /// The sequence number of the app's newest event (0 if none).
    func latestEventSequence(appID: String) async throws -> Int64
}

/// An app that has deliveries waiting for it.
public struct WaitingDestination: Sendable, Hashable {
    public var appID: String
    /// When the oldest waiting delivery became ready (or was notified).
    public var oldestSince: Date

    public init(appID: String, oldestSince: Date) {
        self.appID = appID
        self.oldestSince = oldestSince
    }
}

/// The result of `PacketStore.insert`.
public enum PacketInsertOutcome: Sendable, Hashable {
    case inserted
    /// The source already sent a packet with this idempotency key.
    case existing(PacketID)
}

/// Fields of a packet to change along with delivery changes.
public struct PacketUpdate: Sendable, Hashable {
    public var id: PacketID
    public var state: PacketState?
    public var uploadedAt: Date?
    public var finishedAt: Date?
    /// Records the purge: the sealed content key is destroyed and `purgedAt` set (kept if already set).
    public var purgedAt: Date?

    public init(id: PacketID, state: PacketState? = nil, uploadedAt: Date? = nil, finishedAt: Date? = nil, purgedAt: Date? = nil) {
        self.id = id
        self.state = state
        self.uploadedAt = uploadedAt
        self.finishedAt = finishedAt
        self.purgedAt = purgedAt
    }
}

/// A packet with everything a use case needs to act on it, read in one go.
public struct PacketRecord: Sendable, Hashable {
    public var packet: Packet
    public var deliveries: [Delivery]
    /// The sealed per-packet key; nil once the packet is purged.
    public var sealedContentKey: Data?

    public init(packet: Packet, deliveries: [Delivery], sealedContentKey: Data?) {
        self.packet = packet
        self.deliveries = deliveries
        self.sealedContentKey = sealedContentKey
    }
}

/// A delivery offered to an app, with its packet.
public struct InboxEntry: Sendable, Hashable {
    public var packet: Packet
    public var delivery: Delivery

    public init(packet: Packet, delivery: Delivery) {
        self.packet = packet
        self.delivery = delivery
    }
}

/// Which packets to list, newest first, paged by packet id.
public struct PacketQuery: Sendable, Hashable {
    public enum Role: Sendable, Hashable {
        /// Packets sent by this app.
        case sent(appID: String)
        /// Packets with a delivery to this app.
        case received(appID: String)
        /// Every packet (administrators).
        case all
    }

    public var role: Role
    public var dataType: DataType?
    public var since: Date?
    public var until: Date?
    /// Only packets whose id sorts before this one (the previous page's last id).
    public var before: PacketID?
    public var limit: Int
    /// Only the packet sent with this idempotency key (with role `.sent`).
    public var idempotencyKey: String?

    public init(
        role: Role, dataType: DataType? = nil, since: Date? = nil, until: Date? = nil, before: PacketID? = nil, limit: Int,
        idempotencyKey: String? = nil
    ) {
        self.role = role
        self.dataType = dataType
        self.since = since
        self.until = until
        self.before = before
        self.limit = limit
        self.idempotencyKey = idempotencyKey
    }
}

/// A packet with its deliveries, as listed in history.
public struct PacketSummary: Sendable, Hashable {
    public var packet: Packet
    public var deliveries: [Delivery]

    public init(packet: Packet, deliveries: [Delivery]) {
        self.packet = packet
        self.deliveries = deliveries
    }
}
