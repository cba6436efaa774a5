import Foundation
import JWTKit

/// The claims of an OpenID Connect id token the hub's SSO issues (OIDC Core 1.0 §2), with the hub's own
/// `roles` (role raw values) and `unit_code` (a unit officer's unit).
public struct IDTokenClaims: JWTPayload, Equatable {
    public var iss: IssuerClaim
    public var sub: SubjectClaim
    public var aud: AudienceClaim
    public var exp: ExpirationClaim
    public var iat: IssuedAtClaim
    public var authTime: Int
    public var nonce: String?
    public var sid: String
    public var preferredUsername: String
    public var name: String
    public var roles: [String]
    public var unitCode: String?

    enum CodingKeys: String, CodingKey {
        case iss, sub, aud, exp, iat, nonce, sid, name, roles
        case authTime = "auth_time"
        case preferredUsername = "preferred_username"
        case unitCode = "unit_code"
    }

    public init(
        issuer: String, subject: String, clientID: String, issuedAt: Date, expiresAt: Date, authTime: Date, nonce: String?, sessionID: String,
        login: String, name: String, roles: [String], unitCode: String?
    ) {
        iss = IssuerClaim(value: issuer)
        sub = SubjectClaim(value: subject)
        aud = AudienceClaim(value: [clientID])
        exp = ExpirationClaim(value: expiresAt.wholeSeconds)
        iat = IssuedAtClaim(value: issuedAt.wholeSeconds)
        self.authTime = Int(authTime.timeIntervalSince1970)
        self.nonce = nonce
        sid = sessionID
        preferredUsername = login
        self.name = name
        self.roles = roles
        self.unitCode = unitCode
    }

    public func verify(using algorithm: some JWTAlgorithm) async throws {
        try exp.verifyNotExpired()
    }
}

/// What the end-session endpoint reads from an `id_token_hint`: signed by the hub, possibly expired
/// (OIDC RP-Initiated Logout 1.0 §2 lets an expired id token name the session).
public struct IDTokenHint: JWTPayload {
    public var iss: IssuerClaim
    public var sub: SubjectClaim
    public var aud: AudienceClaim
    public var sid: String?

    public var issuer: String { iss.value }
    public var subject: String { sub.value }
    public var audience: [String] { aud.value }

    public func verify(using algorithm: some JWTAlgorithm) async throws {}
}

/// The claims of the SSO's access tokens (JWT, RFC 9068 style): for `/sso/userinfo` only. `gid` names the
/// authorization code they were issued from, so that replaying the code revokes them.
public struct SSOAccessClaims: JWTPayload {
    public var iss: IssuerClaim
    public var sub: SubjectClaim
    public var aud: AudienceClaim
    public var exp: ExpirationClaim
    public var iat: IssuedAtClaim
    public var jti: IDClaim
    public var clientID: String
    public var sid: String
    public var gid: String
    public var scope: String
    /// Always `lgsp-sso-access`: a session token or id token is never accepted in its place.
    public var typ: String

    enum CodingKeys: String, CodingKey {
        case iss, sub, aud, exp, iat, jti, sid, gid, scope, typ
        case clientID = "client_id"
    }

    public static let type = "lgsp-sso-access"

    public init(
        issuer: String, subject: String, clientID: String, issuedAt: Date, expiresAt: Date, id: String, sessionID: String, grantID: String,
        scope: String
    ) {
        iss = IssuerClaim(value: issuer)
        sub = SubjectClaim(value: subject)
        aud = AudienceClaim(value: [issuer + "/sso/userinfo"])
        exp = ExpirationClaim(value: expiresAt.wholeSeconds)
        iat = IssuedAtClaim(value: issuedAt.wholeSeconds)
        jti = IDClaim(value: id)
        self.clientID = clientID
        sid = sessionID
        gid = grantID
        self.scope = scope
        typ = Self.type
    }

    public var issuer: String { iss.value }
    public var subject: String { sub.value }

    public func verify(using algorithm: some JWTAlgorithm) async throws {
        try exp.verifyNotExpired()
    }
}

/// A back-channel logout token (OIDC Back-Channel Logout 1.0 §2.4): names the official and the session
/// that ended, carries the logout event, and never a nonce.
public struct LogoutTokenClaims: JWTPayload {
    public var iss: IssuerClaim
    public var aud: AudienceClaim
    public var iat: IssuedAtClaim
    public var exp: ExpirationClaim
    public var jti: IDClaim
    public var sub: SubjectClaim
    public var sid: String
    public var events: [String: [String: String]]

    public static let event = "http://schemas.openid.net/event/backchannel-logout"

    public init(issuer: String, clientID: String, subject: String, sessionID: String, issuedAt: Date, id: String) {
        iss = IssuerClaim(value: issuer)
        aud = AudienceClaim(value: [clientID])
        iat = IssuedAtClaim(value: issuedAt.wholeSeconds)
        exp = ExpirationClaim(value: issuedAt.wholeSeconds.addingTimeInterval(120))
        jti = IDClaim(value: id)
        sub = SubjectClaim(value: subject)
        sid = sessionID
        events = [Self.event: [:]]
    }

    public func verify(using algorithm: some JWTAlgorithm) async throws {
        try exp.verifyNotExpired()
    }
}

extension Date {
    /// The instant truncated to whole seconds: JWT NumericDate values with fractions put `iat` a fraction of a
    /// second in the future for relying parties that compare with whole seconds (authlib/joserfc do).
    var wholeSeconds: Date { Date(timeIntervalSince1970: floor(timeIntervalSince1970)) }
}
