import Foundation
import LGSPCore

/// `POST /v1/admin/units`.
public struct AddUnitRequest: Codable, Sendable {
    public var code: String
    public var name: String
    public var parent: String?

    public init(code: String, name: String, parent: String? = nil) {
        self.code = code
        self.name = name
        self.parent = parent
    }

    enum CodingKeys: String, CodingKey, CaseIterable { case code, name, parent }

    public init(from decoder: any Decoder) throws {
        try StrictKeys.check(decoder, allowed: Set(CodingKeys.allCases.map(\.rawValue)))
        let container = try decoder.container(keyedBy: CodingKeys.self)
        code = try container.decode(String.self, forKey: .code)
        name = try container.decode(String.self, forKey: .name)
        parent = try container.decodeIfPresent(String.self, forKey: .parent)
    }
}

/// A unit on the wire.
public struct UnitBody: Codable, Sendable, Hashable {
    public var code: UnitCode
    public var name: String
    public var parent: UnitCode?
    public var status: UnitStatus
    public var createdAt: Date

    public init(code: UnitCode, name: String, parent: UnitCode?, status: UnitStatus, createdAt: Date) {
        self.code = code
        self.name = name
        self.parent = parent
        self.status = status
        self.createdAt = createdAt
    }
}

/// `GET /v1/admin/units`.
public struct UnitListResponse: Codable, Sendable {
    public var items: [UnitBody]
    public init(items: [UnitBody]) { self.items = items }
}

/// `POST /v1/admin/apps`.
public struct CreateAppRequest: Codable, Sendable {
    public var unit: String
    public var name: String
    /// Data types the app receives; `["*"]` for all. Default: none.
    public var receives: [String]?

    public init(unit: String, name: String, receives: [String]? = nil) {
        self.unit = unit
        self.name = name
        self.receives = receives
    }

    enum CodingKeys: String, CodingKey, CaseIterable { case unit, name, receives }

    public init(from decoder: any Decoder) throws {
        try StrictKeys.check(decoder, allowed: Set(CodingKeys.allCases.map(\.rawValue)))
        let container = try decoder.container(keyedBy: CodingKeys.self)
        unit = try container.decode(String.self, forKey: .unit)
        name = try container.decode(String.self, forKey: .name)
        receives = try container.decodeIfPresent([String].self, forKey: .receives)
    }
}

/// An app on the wire (no secrets).
public struct AppBody: Codable, Sendable, Hashable {
    public var id: String
    public var unit: UnitCode?
    public var name: String
    public var accessKey: String
    public var role: AppRole
    public var status: AppStatus
    public var receives: [String]
    public var createdAt: Date

    public init(id: String, unit: UnitCode?, name: String, accessKey: String, role: AppRole, status: AppStatus, receives: [String], createdAt: Date) {
        self.id = id
        self.unit = unit
        self.name = name
        self.accessKey = accessKey
        self.role = role
        self.status = status
        self.receives = receives
        self.createdAt = createdAt
    }
}

/// The answer to app creation and key rotation: the only time a secret key is shown.
public struct CredentialResponse: Codable, Sendable {
    public var app: AppBody
    public var accessKey: String
    public var secretKey: String
    /// When the previous secret stops working (rotation only).
    public var previousSecretExpiresAt: Date?

    public init(app: AppBody, accessKey: String, secretKey: String, previousSecretExpiresAt: Date?) {
        self.app = app
        self.accessKey = accessKey
        self.secretKey = secretKey
        self.previousSecretExpiresAt = previousSecretExpiresAt
    }
}

/// `GET /v1/admin/apps`.
public struct AppListResponse: Codable, Sendable {
    public var items: [AppBody]
    public init(items: [AppBody]) { self.items = items }
}

/// `POST /v1/admin/apps/{accessKey}/rotate-key`.
public struct RotateKeyRequest: Codable, Sendable {
    /// How long the previous secret keeps working, in seconds (default 86400; 0 ends it now).
    public var graceSeconds: Int?

    public init(graceSeconds: Int? = nil) { self.graceSeconds = graceSeconds }

    enum CodingKeys: String, CodingKey, CaseIterable { case graceSeconds }

    public init(from decoder: any Decoder) throws {
        try StrictKeys.check(decoder, allowed: ["graceSeconds"])
        graceSeconds = try decoder.container(keyedBy: CodingKeys.self).decodeIfPresent(Int.self, forKey: .graceSeconds)
    }
}

/// `POST /v1/admin/grants`.
public struct AddGrantRequest: Codable, Sendable {
    /// The access key of the app receiving the permission.
    public var app: String
    /// A unit code, a glob (`*.H23`) or `*`.
    public var sendTo: String
    /// One data type, or absent/`*` for all.
    public var dataType: String?

    public init(app: String, sendTo: String, dataType: String? = nil) {
        self.app = app
        self.sendTo = sendTo
        self.dataType = dataType
    }

    enum CodingKeys: String, CodingKey, CaseIterable { case app, sendTo, dataType }

    public init(from decoder: any Decoder) throws {
        try StrictKeys.check(decoder, allowed: Set(CodingKeys.allCases.map(\.rawValue)))
        let container = try decoder.container(keyedBy: CodingKeys.self)
        app = try container.decode(String.self, forKey: .app)
        sendTo = try container.decode(String.self, forKey: .sendTo)
        dataType = try container.decodeIfPresent(String.self, forKey: .dataType)
    }
}

/// A grant on the wire.
public struct GrantBody: Codable, Sendable, Hashable {
    public var id: String
    /// The access key of the app holding it.
    public var app: String
    public var sendTo: String
    public var dataType: String?
    public var createdAt: Date

    public init(id: String, app: String, sendTo: String, dataType: String?, createdAt: Date) {
        self.id = id
        self.app = app
        self.sendTo = sendTo
        self.dataType = dataType
        self.createdAt = createdAt
    }
}

/// `GET /v1/admin/grants`.
public struct GrantListResponse: Codable, Sendable {
    public var items: [GrantBody]
    public init(items: [GrantBody]) { self.items = items }
}

/// `GET /v1/admin/status`: the hub process, for operators and benchmarks.
public struct HubStatusResponse: Codable, Sendable {
    public var hubName: String
    public var version: String
    public var startedAt: Date
    public var uptimeSeconds: Double
    /// Resident memory now, in bytes (Linux: VmRSS).
    public var residentBytes: Int64?
    /// Peak resident memory since start, in bytes (Linux: VmHWM).
    public var peakResidentBytes: Int64?

    public init(hubName: String, version: String, startedAt: Date, uptimeSeconds: Double, residentBytes: Int64?, peakResidentBytes: Int64?) {
        self.hubName = hubName
        self.version = version
        self.startedAt = startedAt
        self.uptimeSeconds = uptimeSeconds
        self.residentBytes = residentBytes
        self.peakResidentBytes = peakResidentBytes
    }
}

/// An RFC 9457 problem document with the hub's stable error `code`.
public struct ProblemBody: Codable, Sendable, Hashable {
    public var type: String
    public var title: String
    public var status: Int
    public var detail: String
    public var code: String
    public var field: String?
    public var details: [String: String]?

    public init(type: String, title: String, status: Int, detail: String, code: String, field: String?, details: [String: String]?) {
        self.type = type
        self.title = title
        self.status = status
        self.detail = detail
        self.code = code
        self.field = field
        self.details = details
    }
}
