import Foundation

/// What a peer link keeps durably, beside the packets (federation, issue #7).
///
/// The link's hand-off queue is not a separate table: it is the deliveries a peer carries
/// (`UpstreamAddress`, app id `peer:<peer>/<code>`) that are `ready` or `notified`, so a delivery
/// enters the queue in the same transaction that makes it due and leaves it with the state change
/// that records the hand-off. The status-report outbox of a far hub is likewise the peer app's
/// event log (`PacketStore.events`), read after a durable cursor.
///
/// Contract (checked by `PeerLinkStoreConformance` in LGSPTesting for every implementation):
/// - `handOffQueue` returns the peer's deliveries in `ready` or `notified`, highest priority first,
///   then oldest (`Packet.createdAt`), then by packet id; never another peer's, never another state.
/// - `queueFigures` counts the same deliveries and gives the oldest one's `updatedAt`.
/// - `statusCursor` is 0 until set; `setStatusCursor` never moves a cursor backwards (a smaller value is ignored).
/// - `recordReceipt` keeps one receipt per (packet, peer); recording again replaces it.
public protocol PeerLinkStore: Sendable {
    /// The peer's waiting deliveries in hand-off order (see contract).
    func handOffQueue(peer: String, limit: Int) async throws -> [Delivery]
    /// How many deliveries wait for the peer, and since when the oldest waits.
    func queueFigures(peer: String) async throws -> PeerQueueFigures
    /// The sequence number of the last event reported to the peer (0: none).
    func statusCursor(peer: String) async throws -> Int64
    func setStatusCursor(peer: String, to sequence: Int64) async throws
    /// Keeps the peer's signed hand-off receipt for the packet (for reconciliation).
    func recordReceipt(_ receipt: HandOffReceiptRecord) async throws
    /// The receipts kept for a packet.
    func receipts(of id: PacketID) async throws -> [HandOffReceiptRecord]
}

/// The size and age of a peer's queue.
public struct PeerQueueFigures: Sendable, Hashable {
    public var depth: Int
    public var oldestSince: Date?

    public init(depth: Int, oldestSince: Date?) {
        self.depth = depth
        self.oldestSince = oldestSince
    }
}

/// A signed hand-off receipt, as received from the peer.
public struct HandOffReceiptRecord: Sendable, Hashable {
    public var packetID: PacketID
    public var peer: String
    /// The receipt itself (a compact JWS the peer signed).
    public var token: String
    public var recipients: [UnitCode]
    public var at: Date

    public init(packetID: PacketID, peer: String, token: String, recipients: [UnitCode], at: Date) {
        self.packetID = packetID
        self.peer = peer
        self.token = token
        self.recipients = recipients
        self.at = at
    }
}
