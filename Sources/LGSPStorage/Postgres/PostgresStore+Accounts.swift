import Foundation
import LGSPCore
import PostgresNIO

/// The SSO's officials, client apps, one-time codes and browser sessions (`AccountStore`), with the
/// rows of SQLite's `v11-sso-accounts` (migration `pg3-sso-accounts`).
extension PostgresStore: AccountStore {
    // MARK: Officials

    public func addOfficial(_ official: Official) async throws {
        let sealed = official.totpSecret.map { masterKey.seal(Data($0.utf8), context: "totp:\(official.id)") }
        let roles = try Self.json(official.roles.map(\.rawValue))
        do {
            try await client.query(
                """
                INSERT INTO sso_officials (id, login, display_name, roles, unit, password_hash, sealed_totp, failed_attempts, locked_until,
                    disabled, created_at)
                VALUES (\(official.id), \(official.login), \(official.displayName), \(roles), \(official.unit?.rawValue), \(official.passwordHash),
                    \(sealed), \(Int64(official.failedAttempts)), \(official.lockedUntil?.millis), \(official.disabled), \(official.createdAt.millis))
                """, logger: logger)
        } catch where Self.isUniqueViolation(error) {
            throw LGSPError(.officialExists, "an official with the login '\(official.login)' already exists", field: "login")
        } catch {
            throw Self.storageError(error, doing: "add an official")
        }
    }

    public func official(id: String) async throws -> Official? {
        try await rows("SELECT * FROM sso_officials WHERE id = \(id)").first.map(official)
    }

    public func official(login: String) async throws -> Official? {
        try await rows("SELECT * FROM sso_officials WHERE login = \(login)").first.map(official)
    }

    public func officials() async throws -> [Official] {
        try await rows("SELECT * FROM sso_officials ORDER BY login").map(official)
    }

    public func setOfficialDisabled(id: String, disabled: Bool) async throws -> Official {
        try await existingOfficial(rows("UPDATE sso_officials SET disabled = \(disabled) WHERE id = \(id) RETURNING *"), id)
    }

    public func setPasswordHash(officialID: String, hash: String) async throws {
        _ = try await existingOfficial(
            rows("UPDATE sso_officials SET password_hash = \(hash), failed_attempts = 0, locked_until = NULL WHERE id = \(officialID) RETURNING *"),
            officialID)
    }

    public func recordLoginFailure(officialID: String, at: Date, limit: Int, lockFor: TimeInterval) async throws -> Official {
        // One statement: PostgreSQL's row lock makes concurrent failures on several nodes each count.
        try await existingOfficial(
            rows(
                """
                UPDATE sso_officials SET
                    locked_until = CASE WHEN failed_attempts + 1 >= \(Int64(limit)) THEN \(at.addingTimeInterval(lockFor).millis) ELSE locked_until END,
                    failed_attempts = CASE WHEN failed_attempts + 1 >= \(Int64(limit)) THEN 0 ELSE failed_attempts + 1 END
                WHERE id = \(officialID) RETURNING *
                """), officialID)
    }

    public func recordLoginSuccess(officialID: String, at: Date) async throws {
        try await run(
            """
            UPDATE sso_officials SET failed_attempts = 0, locked_until = CASE WHEN locked_until <= \(at.millis) THEN NULL ELSE locked_until END
            WHERE id = \(officialID)
            """)
    }

    private func existingOfficial(_ found: [PGRow], _ id: String) throws -> Official {
        guard let row = found.first else { throw LGSPError(.unknownOfficial, "no official has the id '\(id)'") }
        return try official(row)
    }

    // MARK: Clients

    public func addSSOClient(_ client: SSOClient) async throws {
        let redirects = try Self.json(client.redirectURIs)
        let logouts = try Self.json(client.postLogoutRedirectURIs)
        do {
            try await self.client.query(
                """
                INSERT INTO sso_clients (id, secret_hash, name, redirect_uris, post_logout_uris, backchannel_uri, created_at, disabled)
                VALUES (\(client.id), \(client.secretHash), \(client.name), \(redirects), \(logouts), \(client.backchannelLogoutURI),
                    \(client.createdAt.millis), \(client.disabled))
                """, logger: logger)
        } catch where Self.isUniqueViolation(error) {
            throw LGSPError(.ssoClientExists, "an SSO client with the id '\(client.id)' already exists", field: "clientId")
        } catch {
            throw Self.storageError(error, doing: "add an SSO client")
        }
    }

    public func ssoClient(id: String) async throws -> SSOClient? {
        try await rows("SELECT * FROM sso_clients WHERE id = \(id)").first.map(Self.ssoClient)
    }

    public func ssoClients() async throws -> [SSOClient] {
        try await rows("SELECT * FROM sso_clients ORDER BY name, id").map(Self.ssoClient)
    }

    public func setSSOClientDisabled(id: String, disabled: Bool) async throws -> SSOClient {
        guard let row = try await rows("UPDATE sso_clients SET disabled = \(disabled) WHERE id = \(id) RETURNING *").first else {
            throw LGSPError(.unknownSSOClient, "no SSO client has the id '\(id)'", field: "clientId")
        }
        return try Self.ssoClient(row)
    }

    // MARK: Codes

    public func addAuthorizationCode(_ code: AuthorizationCode) async throws {
        try await run(
            """
            INSERT INTO sso_codes (id, client_id, redirect_uri, code_challenge, nonce, official_id, session_id, auth_time, issued_at, expires_at,
                redeemed_at, revoked_at)
            VALUES (\(code.id), \(code.clientID), \(code.redirectURI), \(code.codeChallenge), \(code.nonce), \(code.officialID), \(code.sessionID),
                \(code.authTime.millis), \(code.issuedAt.millis), \(code.expiresAt.millis), \(code.redeemedAt?.millis), \(code.revokedAt?.millis))
            """)
    }

    public func authorizationCode(id: String) async throws -> AuthorizationCode? {
        try await rows("SELECT * FROM sso_codes WHERE id = \(id)").first.map(Self.code)
    }

    public func redeemAuthorizationCode(id: String, at: Date) async throws -> CodeRedemption {
        // FOR UPDATE: of concurrent redemptions on any nodes exactly one sees `redeemed_at IS NULL`.
        try await transaction { tx in
            guard let row = try await tx.rows("SELECT * FROM sso_codes WHERE id = \(id) FOR UPDATE").first else { return .unknown }
            var code = try Self.code(row)
            if code.redeemedAt == nil {
                try await tx.run("UPDATE sso_codes SET redeemed_at = \(at.millis) WHERE id = \(id)")
                code.redeemedAt = at
                return .redeemed(code)
            }
            if code.revokedAt == nil {
                try await tx.run("UPDATE sso_codes SET revoked_at = \(at.millis) WHERE id = \(id)")
                code.revokedAt = at
            }
            return .replayed(code)
        }
    }

    // MARK: Sessions

    public func addSSOSession(_ session: SSOSession) async throws {
        try await transaction { tx in
            try await tx.run(
                """
                INSERT INTO sso_sessions (id, cookie_hash, official_id, auth_time, expires_at, ended_at)
                VALUES (\(session.id), \(session.cookieHash), \(session.officialID), \(session.authTime.millis), \(session.expiresAt.millis),
                    \(session.endedAt?.millis))
                """)
            for client in session.clientIDs {
                try await tx.run(
                    "INSERT INTO sso_session_clients (session_id, client_id) VALUES (\(session.id), \(client)) ON CONFLICT DO NOTHING")
            }
        }
    }

    public func ssoSession(id: String) async throws -> SSOSession? {
        try await session(rows("\(unescaped: Self.sessionSelect) WHERE s.id = \(id)"))
    }

    public func ssoSession(cookieHash: String) async throws -> SSOSession? {
        try await session(rows("\(unescaped: Self.sessionSelect) WHERE s.cookie_hash = \(cookieHash)"))
    }

    public func addSessionClient(sessionID: String, clientID: String) async throws {
        try await run("INSERT INTO sso_session_clients (session_id, client_id) VALUES (\(sessionID), \(clientID)) ON CONFLICT DO NOTHING")
    }

    public func endSSOSession(id: String, at: Date) async throws -> SSOSession? {
        try await run("UPDATE sso_sessions SET ended_at = COALESCE(ended_at, \(at.millis)) WHERE id = \(id)")
        return try await ssoSession(id: id)
    }

    // MARK: Rows

    /// A session with its clients (in the order they joined) as one comma-free JSON array.
    private static let sessionSelect = """
        SELECT s.*, COALESCE((SELECT json_agg(c.client_id ORDER BY c.seq)::text FROM sso_session_clients c WHERE c.session_id = s.id), '[]')
            AS client_list
        FROM sso_sessions s
        """

    private func session(_ found: [PGRow]) throws -> SSOSession? {
        guard let row = found.first else { return nil }
        return SSOSession(
            id: try row.string("id"), cookieHash: try row.string("cookie_hash"), officialID: try row.string("official_id"),
            authTime: try row.date("auth_time"), expiresAt: try row.date("expires_at"), endedAt: try row.optionalDate("ended_at"),
            clientIDs: try stored(Self.strings(try row.string("client_list")), "session clients"))
    }

    private func official(_ row: PGRow) throws -> Official {
        let id = try row.string("id")
        let roles = try stored(Self.strings(try row.string("roles")), "official roles").map { try stored(OfficialRole(rawValue: $0), "official role") }
        let totp = try row.optionalData("sealed_totp").map { String(decoding: try masterKey.open($0, context: "totp:\(id)"), as: UTF8.self) }
        return Official(
            id: id, login: try row.string("login"), displayName: try row.string("display_name"), roles: roles,
            unit: try row.optionalString("unit").map { try stored(UnitCode(lenient: $0), "official unit") }, passwordHash: try row.string("password_hash"),
            totpSecret: totp, failedAttempts: try row.int("failed_attempts"), lockedUntil: try row.optionalDate("locked_until"),
            disabled: try row.bool("disabled"), createdAt: try row.date("created_at"))
    }

    private static func ssoClient(_ row: PGRow) throws -> SSOClient {
        SSOClient(
            id: try row.string("id"), secretHash: try row.optionalString("secret_hash"), name: try row.string("name"),
            redirectURIs: try stored(strings(try row.string("redirect_uris")), "client redirect URIs"),
            postLogoutRedirectURIs: try stored(strings(try row.string("post_logout_uris")), "client logout URIs"),
            backchannelLogoutURI: try row.optionalString("backchannel_uri"), createdAt: try row.date("created_at"), disabled: try row.bool("disabled"))
    }

    private static func code(_ row: PGRow) throws -> AuthorizationCode {
        AuthorizationCode(
            id: try row.string("id"), clientID: try row.string("client_id"), redirectURI: try row.string("redirect_uri"),
            codeChallenge: try row.string("code_challenge"), nonce: try row.optionalString("nonce"), officialID: try row.string("official_id"),
            sessionID: try row.string("session_id"), authTime: try row.date("auth_time"), issuedAt: try row.date("issued_at"),
            expiresAt: try row.date("expires_at"), redeemedAt: try row.optionalDate("redeemed_at"), revokedAt: try row.optionalDate("revoked_at"))
    }

    private static func json(_ list: [String]) throws -> String {
        String(decoding: try JSONEncoder().encode(list), as: UTF8.self)
    }

    private static func strings(_ text: String) -> [String]? {
        try? JSONDecoder().decode([String].self, from: Data(text.utf8))
    }
}
