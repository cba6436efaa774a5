import Foundation
import LGSPCore

/// `POST /v1/auth/sessions` (Article 10 steps 1–2): a session key to call one service.
public struct SessionRequest: Codable, Sendable {
    /// `<unit code>/<service name>`.
    public var service: String
    /// Scope values to carry in the token (meaning is the provider's).
    public var scope: [String]?
    /// Requested lifetime in seconds (at most the hub's maximum; default 300).
    public var ttlSeconds: Int?

    public init(service: String, scope: [String]? = nil, ttlSeconds: Int? = nil) {
        self.service = service
        self.scope = scope
        self.ttlSeconds = ttlSeconds
    }

    enum CodingKeys: String, CodingKey, CaseIterable { case service, scope, ttlSeconds }

    public init(from decoder: any Decoder) throws {
        try StrictKeys.check(decoder, allowed: Set(CodingKeys.allCases.map(\.rawValue)))
        let container = try decoder.container(keyedBy: CodingKeys.self)
        service = try container.decode(String.self, forKey: .service)
        scope = try container.decodeIfPresent([String].self, forKey: .scope)
        ttlSeconds = try container.decodeIfPresent(Int.self, forKey: .ttlSeconds)
    }
}

/// The answer to `POST /v1/auth/sessions`: the token and the access information.
public struct SessionResponse: Codable, Sendable {
    public var token: String
    public var tokenType: String
    public var service: String
    /// Where to call it through the hub (send the token in `X-LGSP-Session`).
    public var url: String
    public var scope: [String]
    public var expiresAt: Date

    public init(token: String, tokenType: String, service: String, url: String, scope: [String], expiresAt: Date) {
        self.token = token
        self.tokenType = tokenType
        self.service = service
        self.url = url
        self.scope = scope
        self.expiresAt = expiresAt
    }
}

/// `POST /v1/auth/introspect` (Article 10 steps 4–5), the RFC 7662 response shape.
public struct IntrospectionResponse: Codable, Sendable, Equatable {
    public var active: Bool
    public var scope: String?
    /// The consumer app's access key.
    public var client_id: String?
    /// The consumer unit's code.
    public var sub: String?
    /// The service the token is for.
    public var aud: String?
    public var iss: String?
    public var exp: Int64?
    public var iat: Int64?
    public var jti: String?
    public var token_type: String?

    public init(
        active: Bool, scope: String? = nil, client_id: String? = nil, sub: String? = nil, aud: String? = nil, iss: String? = nil,
        exp: Int64? = nil, iat: Int64? = nil, jti: String? = nil, token_type: String? = nil
    ) {
        self.active = active
        self.scope = scope
        self.client_id = client_id
        self.sub = sub
        self.aud = aud
        self.iss = iss
        self.exp = exp
        self.iat = iat
        self.jti = jti
        self.token_type = token_type
    }

    /// An inactive token (expired, altered, or not for the caller): RFC 7662 says nothing more.
    public static let inactive = IntrospectionResponse(active: false)
}

/// The JSON form of an introspection request (the form-encoded `token=…` of RFC 7662 is also accepted).
public struct IntrospectionRequest: Codable, Sendable {
    public var token: String

    public init(token: String) { self.token = token }

    enum CodingKeys: String, CodingKey, CaseIterable { case token }

    public init(from decoder: any Decoder) throws {
        try StrictKeys.check(decoder, allowed: ["token"])
        token = try decoder.container(keyedBy: CodingKeys.self).decode(String.self, forKey: .token)
    }
}
