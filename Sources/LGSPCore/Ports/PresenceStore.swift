import Foundation

/// Connection history and last activity of apps (Articles 5.9, 5.11–5.12): when each app connected
/// and disconnected, where from, on which channel; and when it last called the hub.
///
/// Contract (checked by `PresenceStoreConformance` in LGSPTesting for every implementation):
/// - `connected` records an open connection; `disconnected` closes it (idempotent).
/// - `closeConnections(node:at:)` closes every connection still open on a node (the node stopped or died).
/// - `connections` returns connections that overlap the period (opened before `until`, and closed
///   after `since` or still open), oldest first.
public protocol PresenceStore: Sendable {
    func connected(_ connection: Connection) async throws
    func disconnected(id: String, at: Date) async throws
    func closeConnections(node: String, at: Date) async throws
    /// Records that the app called the hub at `at` (callers throttle this).
    func touch(appID: String, at: Date) async throws
    /// When the app last called the hub or closed a stream; nil if never.
    func lastSeen(appID: String) async throws -> Date?
    /// Connections still open, of one app or of all.
    func openConnections(appID: String?) async throws -> [Connection]
    /// Connections overlapping the period, of one unit, one app, or all.
    func connections(unit: UnitCode?, appID: String?, since: Date, until: Date) async throws -> [Connection]
}

/// One live channel between an app and the hub.
public struct Connection: Sendable, Hashable, Codable {
    public var id: String
    public var appID: String
    public var unit: UnitCode
    public var channel: ConnectionChannel
    /// The hub node that held the connection.
    public var node: String
    /// The client's address as the node saw it.
    public var address: String
    public var connectedAt: Date
    public var disconnectedAt: Date?

    public init(
        id: String, appID: String, unit: UnitCode, channel: ConnectionChannel, node: String, address: String, connectedAt: Date,
        disconnectedAt: Date? = nil
    ) {
        self.id = id
        self.appID = appID
        self.unit = unit
        self.channel = channel
        self.node = node
        self.address = address
        self.connectedAt = connectedAt
        self.disconnectedAt = disconnectedAt
    }
}

/// How an app is connected.
public enum ConnectionChannel: String, Sendable, Codable, CaseIterable {
    case webSocket = "websocket"
    case serverSentEvents = "sse"
}
