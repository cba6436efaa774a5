import Foundation

/// A one-time authorization code (RFC 6749 §4.1) as the SSO keeps it: only its SHA-256 is stored, and
/// it is bound to the client, the redirect URI, the PKCE challenge, the nonce, the official and the
/// SSO session it was issued in. It lives a minute and is redeemed once; a second redemption revokes
/// what the first one issued (RFC 6749 §4.1.2).
public struct AuthorizationCode: Sendable, Hashable, Codable {
    /// SHA-256 (hex) of the code handed to the browser; also names the grant in the tokens issued from it.
    public var id: String
    public var clientID: String
    public var redirectURI: String
    /// The PKCE `code_challenge` (S256, RFC 7636).
    public var codeChallenge: String
    public var nonce: String?
    public var officialID: String
    public var sessionID: String
    /// When the official authenticated (`auth_time`).
    public var authTime: Date
    public var issuedAt: Date
    public var expiresAt: Date
    /// When it was first redeemed.
    public var redeemedAt: Date?
    /// When a replay revoked it and every token issued from it.
    public var revokedAt: Date?

    public init(
        id: String, clientID: String, redirectURI: String, codeChallenge: String, nonce: String?, officialID: String, sessionID: String,
        authTime: Date, issuedAt: Date, expiresAt: Date, redeemedAt: Date? = nil, revokedAt: Date? = nil
    ) {
        self.id = id
        self.clientID = clientID
        self.redirectURI = redirectURI
        self.codeChallenge = codeChallenge
        self.nonce = nonce
        self.officialID = officialID
        self.sessionID = sessionID
        self.authTime = authTime
        self.issuedAt = issuedAt
        self.expiresAt = expiresAt
        self.redeemedAt = redeemedAt
        self.revokedAt = revokedAt
    }
}

/// What redeeming a code found.
public enum CodeRedemption: Sendable, Hashable {
    /// First redemption: the code is now used.
    case redeemed(AuthorizationCode)
    /// The code was used before; it is now revoked (with every token issued from it).
    case replayed(AuthorizationCode)
    /// No such code.
    case unknown
}
