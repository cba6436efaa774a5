import Foundation
import LGSPCore

/// An open connection of an app.
public struct ConnectionBody: Codable, Sendable, Hashable {
    public var channel: String
    /// The hub node holding the connection; only for the app's own unit and administrators.
    public var node: String?
    /// The client's address; only for the app's own unit and administrators.
    public var address: String?
    public var connectedAt: Date

    public init(channel: String, node: String?, address: String?, connectedAt: Date) {
        self.channel = channel
        self.node = node
        self.address = address
        self.connectedAt = connectedAt
    }
}

/// Whether one app is online.
public struct AppPresence: Codable, Sendable, Hashable {
    public var accessKey: String
    public var unit: UnitCode?
    public var name: String
    /// Holding a stream, or called the hub within the presence window.
    public var online: Bool
    /// When the app was last seen (now, if it holds a stream).
    public var lastSeen: Date?
    public var connections: [ConnectionBody]

    public init(accessKey: String, unit: UnitCode?, name: String, online: Bool, lastSeen: Date?, connections: [ConnectionBody]) {
        self.accessKey = accessKey
        self.unit = unit
        self.name = name
        self.online = online
        self.lastSeen = lastSeen
        self.connections = connections
    }
}

/// `GET /v1/presence/{unit code or access key}`.
public struct PresenceResponse: Codable, Sendable {
    public var subject: String
    /// Whether any of the subject's apps is online.
    public var online: Bool
    public var lastSeen: Date?
    public var apps: [AppPresence]

    public init(subject: String, online: Bool, lastSeen: Date?, apps: [AppPresence]) {
        self.subject = subject
        self.online = online
        self.lastSeen = lastSeen
        self.apps = apps
    }
}

/// `GET /v1/admin/presence`.
public struct PresenceListResponse: Codable, Sendable {
    public var items: [AppPresence]
    public init(items: [AppPresence]) { self.items = items }
}
