import Foundation
import LGSPCore

/// `POST /v1/federation/packets` answers with this: either the packet waits for its content (upload
/// it to `upload.url`, then offer again) or the hub holds it and signed for it (`receipt`).
public struct HandOffAnswer: Codable, Sendable, Hashable {
    /// `awaiting_content` or `held`.
    public var state: String
    public var id: PacketID
    /// Where to `PUT` the content (the packet's ordinary upload space), while `awaiting_content`.
    public var upload: SpaceBody?
    /// The signed hand-off receipt (compact JWS, `HandOffReceiptClaims`), once `held`.
    public var receipt: String?
    /// The recipients the hub took the packet for.
    public var accepted: [UnitCode]
    /// The recipients it refused, with its reason.
    public var refused: [RefusedRecipient]

    public static let awaitingContent = "awaiting_content"
    public static let held = "held"

    public init(state: String, id: PacketID, upload: SpaceBody?, receipt: String?, accepted: [UnitCode], refused: [RefusedRecipient]) {
        self.state = state
        self.id = id
        self.upload = upload
        self.receipt = receipt
        self.accepted = accepted
        self.refused = refused
    }
}

/// `POST /v1/federation/status`: delivery states of packets the calling peer handed to this hub's peer.
public struct StatusReportRequest: Codable, Sendable, Hashable {
    public var reports: [RemoteStatus]

    public init(reports: [RemoteStatus]) { self.reports = reports }
}

/// How many reported states changed a delivery.
public struct StatusReportResponse: Codable, Sendable, Hashable {
    public var applied: Int

    public init(applied: Int) { self.applied = applied }
}

/// One peer link as `GET /v1/admin/peers` and `lgsp peers status` show it.
public struct PeerStatusBody: Codable, Sendable, Hashable {
    public var name: String
    public var url: String
    public var serves: [String]
    /// `up` (last exchange worked), `down` (failing), `idle` (nothing tried yet).
    public var state: String
    /// The hand-off circuit breaker: `closed`, `open` or `half_open`.
    public var breaker: String
    public var consecutiveFailures: Int
    public var queueDepth: Int
    /// Seconds the oldest queued delivery has waited (0 when none).
    public var oldestQueuedSeconds: Double
    public var lastError: String?
    public var lastSuccessAt: Date?
    public var handedOff: Int
    /// Status reports sent back to the peer, and the sequence of the last event reported.
    public var statusReportsSent: Int
    public var statusCursor: Int64

    public init(
        name: String, url: String, serves: [String], state: String, breaker: String, consecutiveFailures: Int, queueDepth: Int,
        oldestQueuedSeconds: Double, lastError: String?, lastSuccessAt: Date?, handedOff: Int, statusReportsSent: Int, statusCursor: Int64
    ) {
        self.name = name
        self.url = url
        self.serves = serves
        self.state = state
        self.breaker = breaker
        self.consecutiveFailures = consecutiveFailures
        self.queueDepth = queueDepth
        self.oldestQueuedSeconds = oldestQueuedSeconds
        self.lastError = lastError
        self.lastSuccessAt = lastSuccessAt
        self.handedOff = handedOff
        self.statusReportsSent = statusReportsSent
        self.statusCursor = statusCursor
    }
}

/// `GET /v1/admin/peers`.
public struct PeerListResponse: Codable, Sendable, Hashable {
    public var hub: String
    public var role: String
    public var items: [PeerStatusBody]

    public init(hub: String, role: String, items: [PeerStatusBody]) {
        self.hub = hub
        self.role = role
        self.items = items
    }
}
