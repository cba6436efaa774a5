import Foundation
import JWTKit
import LGSPCore

/// What a session token (khóa phiên, Article 10 step 2) says: which app of which unit may call which
/// service, with which scope, until when. Signed by the hub (ES256); verifiable offline with the JWKS.
public struct SessionClaims: JWTPayload, Equatable {
    /// The hub that issued it.
    public var iss: IssuerClaim
    /// The consumer unit's code.
    public var sub: SubjectClaim
    /// The service it is for: `<unit code>/<service name>`.
    public var aud: AudienceClaim
    public var exp: ExpirationClaim
    public var iat: IssuedAtClaim
    public var jti: IDClaim
    /// The consumer app's access key (OAuth's "authorized party").
    public var azp: String
    /// Space-separated scope values the consumer asked for.
    public var scope: String
    /// `lgsp-session` for session tokens, `lgsp-call` for the hub's assertion on a forwarded call.
    public var typ: String

    public init(
        issuer: String, consumerUnit: UnitCode, service: ServiceRef, consumerApp: String, scope: [String], issuedAt: Date, expiresAt: Date,
        id: String, type: String = "lgsp-session"
    ) {
        iss = IssuerClaim(value: issuer)
        sub = SubjectClaim(value: consumerUnit.rawValue)
        aud = AudienceClaim(value: [service.description])
        exp = ExpirationClaim(value: expiresAt)
        iat = IssuedAtClaim(value: issuedAt)
        jti = IDClaim(value: id)
        azp = consumerApp
        self.scope = scope.joined(separator: " ")
        typ = type
    }

    public func verify(using algorithm: some JWTAlgorithm) async throws {
        try exp.verifyNotExpired()
    }

    /// The service the token is for.
    public var service: String { aud.value.first ?? "" }
}
