import Crypto
import Foundation
import LGSPAuth
import LGSPCore

extension SSOService {
    /// What the token endpoint answers (RFC 6749 §5.1, OIDC Core §3.1.3.3).
    struct TokenResponse: Encodable, Sendable {
        var accessToken: String
        var tokenType = "Bearer"
        var expiresIn: Int
        var idToken: String
        var scope: String

        enum CodingKeys: String, CodingKey {
            case accessToken = "access_token"
            case tokenType = "token_type"
            case expiresIn = "expires_in"
            case idToken = "id_token"
            case scope
        }
    }

    /// Redeems a code for the hub's own first-party client (the web console), in process: the same checks
    /// as the token endpoint (client, redirect URI, PKCE S256, single use, expiry), without a client secret.
    ///
    /// - Throws: `sso.unknown_client` for a client that is not registered (or disabled); `sso.invalid_grant`
    ///   naming the problem for a code that is unknown, expired, already used (what it issued is then
    ///   revoked), issued to another client or redirect URI, or whose verifier does not match.
    public func redeem(code: String, clientID: String, redirectURI: String, codeVerifier: String) async throws -> SSOIdentity {
        guard let client = try await client(id: clientID), !client.disabled else {
            throw LGSPError(.unknownSSOClient, "client '\(clientID)' is not a registered SSO client", field: "client_id")
        }
        do {
            let (grant, official, _) = try await redeemCode(code, client: client, redirectURI: redirectURI, codeVerifier: codeVerifier)
            return SSOIdentity(
                subject: official.id, login: official.login, name: official.displayName, roles: official.roles, unit: official.unit,
                sessionID: grant.sessionID)
        } catch let error as OAuthError {
            throw LGSPError(.invalidGrant, error.description, field: "code")
        }
    }

    /// Exchanges a code for tokens (the token endpoint, after client authentication).
    func tokens(code: String, client: SSOClient, redirectURI: String, codeVerifier: String) async throws -> TokenResponse {
        let (grant, official, _) = try await redeemCode(code, client: client, redirectURI: redirectURI, codeVerifier: codeVerifier)
        let now = clock.now()
        let expires = now.addingTimeInterval(configuration.tokenLifetime)
        let idToken = try await keys.sign(
            payload: IDTokenClaims(
                issuer: issuer, subject: official.id, clientID: client.id, issuedAt: now, expiresAt: expires, authTime: grant.authTime,
                nonce: grant.nonce, sessionID: grant.sessionID, login: official.login, name: official.displayName,
                roles: official.roles.map(\.rawValue), unitCode: official.unit?.rawValue))
        let accessToken = try await keys.sign(
            payload: SSOAccessClaims(
                issuer: issuer, subject: official.id, clientID: client.id, issuedAt: now, expiresAt: expires,
                id: CredentialGenerator.identifier(), sessionID: grant.sessionID, grantID: grant.id, scope: "openid profile"))
        record("sso.token", login: official.login, target: "client \(client.id)")
        return TokenResponse(accessToken: accessToken, expiresIn: Int(configuration.tokenLifetime), idToken: idToken, scope: "openid profile")
    }

    /// The single-use redemption shared by the token endpoint and `redeem`: throws `OAuthError`.
    private func redeemCode(
        _ code: String, client: SSOClient, redirectURI: String, codeVerifier: String
    ) async throws -> (AuthorizationCode, Official, SSOSession) {
        // RFC 7636 §4.1: 43 to 128 unreserved characters.
        guard (43...128).contains(codeVerifier.count),
            codeVerifier.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "-._~".contains($0)) })
        else {
            throw OAuthError.invalidRequest("code_verifier must be 43 to 128 characters of A-Z a-z 0-9 - . _ ~ (RFC 7636)")
        }
        guard !code.isEmpty, code.count <= 256 else { throw OAuthError.invalidRequest("the request has no code") }
        let now = clock.now()
        let grant: AuthorizationCode
        switch try await accounts.redeemAuthorizationCode(id: Self.sha256Hex(code), at: now) {
        case .unknown:
            throw OAuthError.invalidGrant("the authorization code is not valid")
        case .replayed(let used):
            logger.warning("SSO: authorization code replayed for client \(used.clientID); tokens issued from it are revoked")
            record("sso.code_replayed", login: nil, target: "client \(used.clientID)", outcome: "sso.invalid_grant")
            throw OAuthError.invalidGrant("the authorization code was already used; the tokens issued from it are revoked")
        case .redeemed(let found):
            grant = found
        }
        guard grant.clientID == client.id else { throw OAuthError.invalidGrant("the authorization code was issued to another client") }
        guard grant.redirectURI == redirectURI else {
            throw OAuthError.invalidGrant("redirect_uri does not match the one of the authorization request")
        }
        guard grant.expiresAt > now else { throw OAuthError.invalidGrant("the authorization code has expired; sign in again") }
        let digest = Data(SHA256.hash(data: Data(codeVerifier.utf8))).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
        guard digest == grant.codeChallenge else { throw OAuthError.invalidGrant("code_verifier does not match the code_challenge (PKCE S256)") }
        guard let official = try await accounts.official(id: grant.officialID), !official.disabled else {
            throw OAuthError.invalidGrant("the official's account is disabled")
        }
        guard let session = try await accounts.ssoSession(id: grant.sessionID), session.isActive(at: now) else {
            throw OAuthError.invalidGrant("the SSO session has ended; sign in again")
        }
        return (grant, official, session)
    }

    /// The claims `/sso/userinfo` returns for a valid access token (OIDC Core §5.3).
    func userinfo(accessToken: String) async throws -> [String: UserinfoValue] {
        let claims: SSOAccessClaims
        do {
            claims = try await keys.verify(accessToken, as: SSOAccessClaims.self)
        } catch {
            throw OAuthError.invalidToken("the access token is not valid: expired, altered or not issued by this hub")
        }
        guard claims.typ == SSOAccessClaims.type, claims.issuer == issuer else {
            throw OAuthError.invalidToken("the token is not an SSO access token of this issuer")
        }
        let now = clock.now()
        if let grant = try await accounts.authorizationCode(id: claims.gid), grant.revokedAt != nil {
            throw OAuthError.invalidToken("the access token was revoked (its authorization code was replayed)")
        }
        guard let session = try await accounts.ssoSession(id: claims.sid), session.isActive(at: now) else {
            throw OAuthError.invalidToken("the SSO session of this token has ended")
        }
        guard let official = try await accounts.official(id: claims.subject), !official.disabled else {
            throw OAuthError.invalidToken("the official's account is disabled")
        }
        var answer: [String: UserinfoValue] = [
            "sub": .text(official.id), "preferred_username": .text(official.login), "name": .text(official.displayName),
            "roles": .list(official.roles.map(\.rawValue)),
        ]
        if let unit = official.unit { answer["unit_code"] = .text(unit.rawValue) }
        return answer
    }

    /// A userinfo claim value: a string or a list of strings.
    enum UserinfoValue: Encodable, Sendable {
        case text(String)
        case list([String])

        func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            switch self {
            case .text(let text): try container.encode(text)
            case .list(let list): try container.encode(list)
            }
        }
    }
}
