import Foundation

/// A client application (ứng dụng) connected to the hub: it belongs to a unit and holds credentials.
public struct App: Sendable, Hashable, Codable {
    /// Internal identifier (stable; never shown as a credential).
    public var id: String
    /// The unit the app belongs to; nil only for hub administrators.
    public var unit: UnitCode?
    /// A human-readable name.
    public var name: String
    /// The public half of the credential pair (khóa truy xuất); identifies the app in signatures.
    public var accessKey: String
    /// What the app may do.
    public var role: AppRole
    /// Whether requests signed by the app are accepted.
    public var status: AppStatus
    /// The data types the app receives for its unit.
    public var receives: DataTypeSet
    /// The content formats the app accepts, in order of preference; empty: the content as the source
    /// sent it. A packet whose data type arrives in another format is converted (`PayloadConverter`).
    public var accepts: [ContentFormat]
    /// How the app may sign its requests.
    public var auth: AuthPolicy
    /// How long the app may stay offline with packets waiting for it before their sources are told
    /// (`delivery.undeliverable`, Article 5.9); nil: the hub's `exchange.offlineLimitSeconds`; 0: never.
    public var offlineLimit: TimeInterval?
    /// When the app was registered.
    public var createdAt: Date

    public init(
        id: String, unit: UnitCode?, name: String, accessKey: String, role: AppRole = .app,
        status: AppStatus = .active, receives: DataTypeSet = .only([]), accepts: [ContentFormat] = [], auth: AuthPolicy = .standard,
        offlineLimit: TimeInterval? = nil, createdAt: Date
    ) {
        self.accepts = accepts
        self.offlineLimit = offlineLimit
        self.id = id
        self.unit = unit
        self.name = name
        self.accessKey = accessKey
        self.role = role
        self.status = status
        self.receives = receives
        self.auth = auth
        self.createdAt = createdAt
    }
}

/// What an app is allowed to do at the hub.
public enum AppRole: String, Sendable, Codable, CaseIterable {
    /// A unit's application: sends and receives packets under its grants.
    case app
    /// The hub operator: manages the directory through the admin API.
    case admin
    /// Another hub of the federation (a neighbouring LGSP or the national platform): hands packets
    /// off and reports statuses through `/v1/federation/…`; created from the federation file.
    case peer
}

/// Whether an app may use the hub.
public enum AppStatus: String, Sendable, Codable, CaseIterable {
    case active
    case disabled
}
