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
    /// Names before its renames, oldest first; absent when none.
    public var formerNames: [String]?
    /// Codes of the units it replaced; absent when none.
    public var formerCodes: [UnitCode]?
    /// Set when the unit was replaced (it is then inactive).
    public var replacement: UnitReplacementBody?

    public init(
        code: UnitCode, name: String, parent: UnitCode?, status: UnitStatus, createdAt: Date, formerNames: [String]? = nil,
        formerCodes: [UnitCode]? = nil, replacement: UnitReplacementBody? = nil
    ) {
        self.code = code
        self.name = name
        self.parent = parent
        self.status = status
        self.createdAt = createdAt
        self.formerNames = formerNames
        self.formerCodes = formerCodes
        self.replacement = replacement
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
    /// Content formats the app accepts, in order of preference (`citizen-national`); the hub converts
    /// packets into one of them (`mappings/datatypes.yaml`). Default: none, the content as sent.
    public var accepts: [String]?
    /// Signature schemes the app may use (`aws-sigv4`, `http-message-signatures`, `oauth1`). Default: all.
    public var schemes: [String]?
    /// Allow SHA-1 based signatures (HMAC-SHA1, RSA-SHA1) for a legacy app. Default: false.
    public var allowSha1: Bool?
    /// PEM of the app's RSA public key (at least 2048 bits), for RSA signatures.
    public var rsaPublicKey: String?
    /// Let refusals show the string the hub signed, to debug a signer. Default: false.
    public var debugSignatures: Bool?

    public init(
        unit: String, name: String, receives: [String]? = nil, schemes: [String]? = nil, allowSha1: Bool? = nil,
        rsaPublicKey: String? = nil, debugSignatures: Bool? = nil, accepts: [String]? = nil
    ) {
        self.unit = unit
        self.name = name
        self.receives = receives
        self.accepts = accepts
        self.schemes = schemes
        self.allowSha1 = allowSha1
        self.rsaPublicKey = rsaPublicKey
        self.debugSignatures = debugSignatures
    }

    enum CodingKeys: String, CodingKey, CaseIterable { case unit, name, receives, accepts, schemes, allowSha1, rsaPublicKey, debugSignatures }

    public init(from decoder: any Decoder) throws {
        try StrictKeys.check(decoder, allowed: Set(CodingKeys.allCases.map(\.rawValue)))
        let container = try decoder.container(keyedBy: CodingKeys.self)
        unit = try container.decode(String.self, forKey: .unit)
        name = try container.decode(String.self, forKey: .name)
        receives = try container.decodeIfPresent([String].self, forKey: .receives)
        accepts = try container.decodeIfPresent([String].self, forKey: .accepts)
        schemes = try container.decodeIfPresent([String].self, forKey: .schemes)
        allowSha1 = try container.decodeIfPresent(Bool.self, forKey: .allowSha1)
        rsaPublicKey = try container.decodeIfPresent(String.self, forKey: .rsaPublicKey)
        debugSignatures = try container.decodeIfPresent(Bool.self, forKey: .debugSignatures)
    }
}

/// `POST /v1/admin/apps/{accessKey}/offline-limit`: how long the app may stay offline with packets
/// waiting before their sources are told (Article 5.9). `seconds`: 0 never gives up; null (or absent)
/// returns to the hub's `exchange.offlineLimitSeconds`.
public struct OfflineLimitRequest: Codable, Sendable {
    public var seconds: Int?

    public init(seconds: Int?) { self.seconds = seconds }

    enum CodingKeys: String, CodingKey, CaseIterable { case seconds }

    public init(from decoder: any Decoder) throws {
        try StrictKeys.check(decoder, allowed: ["seconds"])
        seconds = try decoder.container(keyedBy: CodingKeys.self).decodeIfPresent(Int.self, forKey: .seconds)
    }
}

/// `POST /v1/admin/apps/{accessKey}/accepts`: the content formats the app accepts, in order of
/// preference; an empty list: the content as the source sent it.
public struct AcceptsRequest: Codable, Sendable {
    public var formats: [String]

    public init(formats: [String]) { self.formats = formats }

    enum CodingKeys: String, CodingKey, CaseIterable { case formats }

    public init(from decoder: any Decoder) throws {
        try StrictKeys.check(decoder, allowed: ["formats"])
        formats = try decoder.container(keyedBy: CodingKeys.self).decode([String].self, forKey: .formats)
    }
}

/// `POST /v1/admin/apps/{accessKey}/auth`: changes an app's signing policy; absent members stay as they are.
public struct UpdateAuthPolicyRequest: Codable, Sendable {
    public var schemes: [String]?
    public var allowSha1: Bool?
    /// A new RSA public key (PEM); an empty string removes the key.
    public var rsaPublicKey: String?
    public var debugSignatures: Bool?

    public init(schemes: [String]? = nil, allowSha1: Bool? = nil, rsaPublicKey: String? = nil, debugSignatures: Bool? = nil) {
        self.schemes = schemes
        self.allowSha1 = allowSha1
        self.rsaPublicKey = rsaPublicKey
        self.debugSignatures = debugSignatures
    }

    enum CodingKeys: String, CodingKey, CaseIterable { case schemes, allowSha1, rsaPublicKey, debugSignatures }

    public init(from decoder: any Decoder) throws {
        try StrictKeys.check(decoder, allowed: Set(CodingKeys.allCases.map(\.rawValue)))
        let container = try decoder.container(keyedBy: CodingKeys.self)
        schemes = try container.decodeIfPresent([String].self, forKey: .schemes)
        allowSha1 = try container.decodeIfPresent(Bool.self, forKey: .allowSha1)
        rsaPublicKey = try container.decodeIfPresent(String.self, forKey: .rsaPublicKey)
        debugSignatures = try container.decodeIfPresent(Bool.self, forKey: .debugSignatures)
    }
}

/// An app's signing policy on the wire (the RSA key itself is not repeated).
public struct AuthPolicyBody: Codable, Sendable, Hashable {
    public var schemes: [String]
    public var allowSha1: Bool
    public var hasRsaPublicKey: Bool
    public var debugSignatures: Bool

    public init(schemes: [String], allowSha1: Bool, hasRsaPublicKey: Bool, debugSignatures: Bool) {
        self.schemes = schemes
        self.allowSha1 = allowSha1
        self.hasRsaPublicKey = hasRsaPublicKey
        self.debugSignatures = debugSignatures
    }
}

/// One secret key of an app, without the secret: `GET /v1/admin/apps/{accessKey}/keys`.
public struct KeyBody: Codable, Sendable, Hashable {
    public var id: String
    public var createdAt: Date
    public var expiresAt: Date?
    public var revokedAt: Date?
    public var lastUsedAt: Date?
    /// Whether the key verifies signatures now.
    public var usable: Bool

    public init(id: String, createdAt: Date, expiresAt: Date?, revokedAt: Date?, lastUsedAt: Date?, usable: Bool) {
        self.id = id
        self.createdAt = createdAt
        self.expiresAt = expiresAt
        self.revokedAt = revokedAt
        self.lastUsedAt = lastUsedAt
        self.usable = usable
    }
}

/// `GET /v1/admin/apps/{accessKey}/keys`.
public struct KeyListResponse: Codable, Sendable {
    public var items: [KeyBody]
    public init(items: [KeyBody]) { self.items = items }
}

/// `POST /v1/admin/apps/{accessKey}/keys/{id}/expire`.
public struct ExpireKeyRequest: Codable, Sendable {
    public var at: Date

    public init(at: Date) { self.at = at }

    enum CodingKeys: String, CodingKey, CaseIterable { case at }

    public init(from decoder: any Decoder) throws {
        try StrictKeys.check(decoder, allowed: ["at"])
        at = try decoder.container(keyedBy: CodingKeys.self).decode(Date.self, forKey: .at)
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
    /// Content formats the app accepts, in order of preference; empty: the content as sent.
    public var accepts: [String]
    public var auth: AuthPolicyBody
    /// The app's own offline limit in seconds (0: never give up); absent: the hub's default applies.
    public var offlineLimitSeconds: Int?
    public var createdAt: Date

    public init(
        id: String, unit: UnitCode?, name: String, accessKey: String, role: AppRole, status: AppStatus, receives: [String],
        accepts: [String] = [], auth: AuthPolicyBody, offlineLimitSeconds: Int? = nil, createdAt: Date
    ) {
        self.accepts = accepts
        self.offlineLimitSeconds = offlineLimitSeconds
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

/// `POST /v1/admin/grants`: either `sendTo` (and optionally `dataType`) or `service`.
public struct AddGrantRequest: Codable, Sendable {
    /// The access key of the app receiving the permission.
    public var app: String
    /// A unit code, a glob (`*.H23`) or `*`.
    public var sendTo: String?
    /// One data type, or absent/`*` for all.
    public var dataType: String?
    /// A service `<unit code>/<name>` the app may call.
    public var service: String?

    public init(app: String, sendTo: String? = nil, dataType: String? = nil, service: String? = nil) {
        self.app = app
        self.sendTo = sendTo
        self.dataType = dataType
        self.service = service
    }

    enum CodingKeys: String, CodingKey, CaseIterable { case app, sendTo, dataType, service }

    public init(from decoder: any Decoder) throws {
        try StrictKeys.check(decoder, allowed: Set(CodingKeys.allCases.map(\.rawValue)))
        let container = try decoder.container(keyedBy: CodingKeys.self)
        app = try container.decode(String.self, forKey: .app)
        sendTo = try container.decodeIfPresent(String.self, forKey: .sendTo)
        dataType = try container.decodeIfPresent(String.self, forKey: .dataType)
        service = try container.decodeIfPresent(String.self, forKey: .service)
    }
}

/// A grant on the wire: a send grant (`sendTo`, `dataType`) or a service grant (`service`).
public struct GrantBody: Codable, Sendable, Hashable {
    public var id: String
    /// The access key of the app holding it.
    public var app: String
    public var sendTo: String?
    public var dataType: String?
    public var service: String?
    public var createdAt: Date

    public init(id: String, app: String, sendTo: String?, dataType: String?, service: String? = nil, createdAt: Date) {
        self.id = id
        self.app = app
        self.sendTo = sendTo
        self.dataType = dataType
        self.service = service
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
    /// The request's id (`X-Request-Id`), to quote when reporting the failure.
    public var requestId: String?

    public init(
        type: String, title: String, status: Int, detail: String, code: String, field: String?, details: [String: String]?, requestId: String? = nil
    ) {
        self.requestId = requestId
        self.type = type
        self.title = title
        self.status = status
        self.detail = detail
        self.code = code
        self.field = field
        self.details = details
    }
}

/// `POST /v1/admin/services`.
public struct AddServiceRequest: Codable, Sendable {
    public var unit: String
    public var name: String
    /// The provider's base URL (http or https).
    public var url: String
    /// `rest` (default) or `soap`.
    public var `protocol`: String?
    /// How long the hub waits for the provider (default 30).
    public var timeoutSeconds: Double?
    /// The access key of the app that provides the service (may introspect its session tokens); default: any app of the unit.
    public var provider: String?
    /// A mapping (`mappings/<name>.mapping.yaml`) converting the consumer's request body for the provider.
    public var requestMapping: String?
    /// A mapping converting the provider's successful answer for the consumer.
    public var responseMapping: String?

    public init(
        unit: String, name: String, url: String, protocol: String? = nil, timeoutSeconds: Double? = nil, provider: String? = nil,
        requestMapping: String? = nil, responseMapping: String? = nil
    ) {
        self.unit = unit
        self.name = name
        self.url = url
        self.protocol = `protocol`
        self.timeoutSeconds = timeoutSeconds
        self.provider = provider
        self.requestMapping = requestMapping
        self.responseMapping = responseMapping
    }

    enum CodingKeys: String, CodingKey, CaseIterable { case unit, name, url, `protocol`, timeoutSeconds, provider, requestMapping, responseMapping }

    public init(from decoder: any Decoder) throws {
        try StrictKeys.check(decoder, allowed: Set(CodingKeys.allCases.map(\.rawValue)))
        let container = try decoder.container(keyedBy: CodingKeys.self)
        unit = try container.decode(String.self, forKey: .unit)
        name = try container.decode(String.self, forKey: .name)
        url = try container.decode(String.self, forKey: .url)
        self.protocol = try container.decodeIfPresent(String.self, forKey: .protocol)
        timeoutSeconds = try container.decodeIfPresent(Double.self, forKey: .timeoutSeconds)
        provider = try container.decodeIfPresent(String.self, forKey: .provider)
        requestMapping = try container.decodeIfPresent(String.self, forKey: .requestMapping)
        responseMapping = try container.decodeIfPresent(String.self, forKey: .responseMapping)
    }
}

/// A service on the wire.
public struct ServiceBody: Codable, Sendable, Hashable {
    /// `<unit code>/<name>`.
    public var id: String
    public var unit: UnitCode
    public var name: String
    public var url: String
    public var `protocol`: String
    public var timeoutSeconds: Double
    /// The provider app's id, if one is set.
    public var providerAppId: String?
    /// The mapping converting requests for the provider, if any.
    public var requestMapping: String?
    /// The mapping converting the provider's successful answers, if any.
    public var responseMapping: String?
    public var createdAt: Date

    public init(
        id: String, unit: UnitCode, name: String, url: String, protocol: String, timeoutSeconds: Double, providerAppId: String?,
        requestMapping: String? = nil, responseMapping: String? = nil, createdAt: Date
    ) {
        self.id = id
        self.unit = unit
        self.name = name
        self.url = url
        self.protocol = `protocol`
        self.timeoutSeconds = timeoutSeconds
        self.providerAppId = providerAppId
        self.requestMapping = requestMapping
        self.responseMapping = responseMapping
        self.createdAt = createdAt
    }
}

/// `GET /v1/admin/services`.
public struct ServiceListResponse: Codable, Sendable {
    public var items: [ServiceBody]
    public init(items: [ServiceBody]) { self.items = items }
}

/// One logged call through the hub: `GET /v1/admin/service-calls`.
public struct ServiceCallListResponse: Codable, Sendable {
    public var items: [ServiceCall]
    public init(items: [ServiceCall]) { self.items = items }
}
