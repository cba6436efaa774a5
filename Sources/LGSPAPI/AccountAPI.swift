import Foundation
import LGSPCore

/// `POST /v1/admin/officials`: registers an official who signs in through the SSO.
public struct CreateOfficialRequest: Codable, Sendable {
    /// The login name (lowercase letters, digits, `.`, `-`, `_`).
    public var login: String
    /// The name shown to people; default: the login.
    public var name: String?
    /// `admin`, `operator`, `unit-officer` (at least one).
    public var roles: [String]
    /// The unit of a unit-officer (required with that role, refused without it).
    public var unit: String?
    /// The initial password (at least 8 characters); only its scrypt hash is kept.
    public var password: String
    /// Require a TOTP second factor; the answer then carries the secret once.
    public var totp: Bool?

    public init(login: String, name: String? = nil, roles: [String], unit: String? = nil, password: String, totp: Bool? = nil) {
        self.login = login
        self.name = name
        self.roles = roles
        self.unit = unit
        self.password = password
        self.totp = totp
    }

    enum CodingKeys: String, CodingKey, CaseIterable { case login, name, roles, unit, password, totp }

    public init(from decoder: any Decoder) throws {
        try StrictKeys.check(decoder, allowed: Set(CodingKeys.allCases.map(\.rawValue)))
        let container = try decoder.container(keyedBy: CodingKeys.self)
        login = try container.decode(String.self, forKey: .login)
        name = try container.decodeIfPresent(String.self, forKey: .name)
        roles = try container.decode([String].self, forKey: .roles)
        unit = try container.decodeIfPresent(String.self, forKey: .unit)
        password = try container.decode(String.self, forKey: .password)
        totp = try container.decodeIfPresent(Bool.self, forKey: .totp)
    }
}

/// An official on the wire: never the password hash or the TOTP secret.
public struct OfficialBody: Codable, Sendable, Hashable {
    public var id: String
    public var login: String
    public var name: String
    public var roles: [String]
    public var unit: UnitCode?
    public var totp: Bool
    public var disabled: Bool
    /// Set while sign-in is refused after repeated failures.
    public var lockedUntil: Date?
    public var createdAt: Date

    public init(_ official: Official, now: Date) {
        id = official.id
        login = official.login
        name = official.displayName
        roles = official.roles.map(\.rawValue)
        unit = official.unit
        totp = official.totpSecret != nil
        disabled = official.disabled
        lockedUntil = official.isLocked(at: now) ? official.lockedUntil : nil
        createdAt = official.createdAt
    }
}

/// The answer to `POST /v1/admin/officials`.
public struct CreatedOfficialResponse: Codable, Sendable {
    public var official: OfficialBody
    /// The TOTP secret (base32), shown once, when a second factor was asked for.
    public var totpSecret: String?
    /// The `otpauth://` URI for authenticator apps (a QR code of it), shown once.
    public var totpURI: String?

    public init(official: OfficialBody, totpSecret: String?, totpURI: String?) {
        self.official = official
        self.totpSecret = totpSecret
        self.totpURI = totpURI
    }
}

/// `GET /v1/admin/officials`.
public struct OfficialListResponse: Codable, Sendable {
    public var items: [OfficialBody]
    public init(items: [OfficialBody]) { self.items = items }
}

/// `POST /v1/admin/sso/clients`: registers a business app with the SSO (Article 11).
public struct CreateSSOClientRequest: Codable, Sendable {
    public var name: String
    /// Exact redirect URIs (absolute http(s), no fragment); at least one.
    public var redirectUris: [String]
    /// Addresses the end-session endpoint may send the browser back to.
    public var postLogoutRedirectUris: [String]?
    /// Where the hub POSTs a `logout_token` when a session the app took part in ends.
    public var backchannelLogoutUri: String?

    public init(name: String, redirectUris: [String], postLogoutRedirectUris: [String]? = nil, backchannelLogoutUri: String? = nil) {
        self.name = name
        self.redirectUris = redirectUris
        self.postLogoutRedirectUris = postLogoutRedirectUris
        self.backchannelLogoutUri = backchannelLogoutUri
    }

    enum CodingKeys: String, CodingKey, CaseIterable { case name, redirectUris, postLogoutRedirectUris, backchannelLogoutUri }

    public init(from decoder: any Decoder) throws {
        try StrictKeys.check(decoder, allowed: Set(CodingKeys.allCases.map(\.rawValue)))
        let container = try decoder.container(keyedBy: CodingKeys.self)
        name = try container.decode(String.self, forKey: .name)
        redirectUris = try container.decode([String].self, forKey: .redirectUris)
        postLogoutRedirectUris = try container.decodeIfPresent([String].self, forKey: .postLogoutRedirectUris)
        backchannelLogoutUri = try container.decodeIfPresent(String.self, forKey: .backchannelLogoutUri)
    }
}

/// A registered SSO client on the wire: never its secret or the secret's hash.
public struct SSOClientBody: Codable, Sendable, Hashable {
    public var clientId: String
    public var name: String
    public var redirectUris: [String]
    public var postLogoutRedirectUris: [String]
    public var backchannelLogoutUri: String?
    public var disabled: Bool
    public var createdAt: Date

    public init(_ client: SSOClient) {
        clientId = client.id
        name = client.name
        redirectUris = client.redirectURIs
        postLogoutRedirectUris = client.postLogoutRedirectURIs
        backchannelLogoutUri = client.backchannelLogoutURI
        disabled = client.disabled
        createdAt = client.createdAt
    }
}

/// The URLs a relying party configures (Article 11).
public struct SSOEndpointsBody: Codable, Sendable, Hashable {
    public var issuer: String
    public var discovery: String
    public var authorization: String
    public var token: String
    public var userinfo: String
    public var jwks: String
    public var endSession: String

    public init(issuer: String, discovery: String, authorization: String, token: String, userinfo: String, jwks: String, endSession: String) {
        self.issuer = issuer
        self.discovery = discovery
        self.authorization = authorization
        self.token = token
        self.userinfo = userinfo
        self.jwks = jwks
        self.endSession = endSession
    }
}

/// The answer to `POST /v1/admin/sso/clients`: the client, its secret (shown once) and the URLs to configure.
public struct CreatedSSOClientResponse: Codable, Sendable {
    public var client: SSOClientBody
    public var clientId: String
    public var clientSecret: String
    public var endpoints: SSOEndpointsBody

    public init(client: SSOClientBody, clientSecret: String, endpoints: SSOEndpointsBody) {
        self.client = client
        clientId = client.clientId
        self.clientSecret = clientSecret
        self.endpoints = endpoints
    }
}

/// `GET /v1/admin/sso/clients`.
public struct SSOClientListResponse: Codable, Sendable {
    public var items: [SSOClientBody]
    /// The URLs every client configures.
    public var endpoints: SSOEndpointsBody

    public init(items: [SSOClientBody], endpoints: SSOEndpointsBody) {
        self.items = items
        self.endpoints = endpoints
    }
}
