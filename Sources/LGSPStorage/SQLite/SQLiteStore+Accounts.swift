import Foundation
import GRDB
import LGSPCore

extension SQLiteStore: AccountStore {
    // MARK: Officials

    public func addOfficial(_ official: Official) async throws {
        let sealed = official.totpSecret.map { masterKey.seal(Data($0.utf8), context: "totp:\(official.id)") }
        let roles = try Self.json(official.roles.map(\.rawValue))
        do {
            try await writing { db in
                try db.run(
                    """
                    INSERT INTO sso_officials (id, login, display_name, roles, unit, password_hash, sealed_totp, failed_attempts, locked_until,
                        disabled, created_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                    [
                        official.id, official.login, official.displayName, roles, official.unit?.rawValue, official.passwordHash, sealed,
                        official.failedAttempts, official.lockedUntil?.millis, official.disabled, official.createdAt.millis,
                    ])
            }
        } catch let error as DatabaseError where error.resultCode == .SQLITE_CONSTRAINT {
            throw LGSPError(.officialExists, "an official with the login '\(official.login)' already exists", field: "login")
        }
    }

    public func official(id: String) async throws -> Official? {
        let masterKey = masterKey
        return try await reading { db in
            try db.row("SELECT * FROM sso_officials WHERE id = ?", [id]).map { try Self.official($0, masterKey: masterKey) }
        }
    }

    public func official(login: String) async throws -> Official? {
        let masterKey = masterKey
        return try await reading { db in
            try db.row("SELECT * FROM sso_officials WHERE login = ?", [login]).map { try Self.official($0, masterKey: masterKey) }
        }
    }

    public func officials() async throws -> [Official] {
        let masterKey = masterKey
        return try await reading { db in
            try db.rows("SELECT * FROM sso_officials ORDER BY login").map { try Self.official($0, masterKey: masterKey) }
        }
    }

    public func setOfficialDisabled(id: String, disabled: Bool) async throws -> Official {
        try await writing { db in try db.run("UPDATE sso_officials SET disabled = ? WHERE id = ?", [disabled, id]) }
        return try await existingOfficial(id)
    }

    public func setPasswordHash(officialID: String, hash: String) async throws {
        try await writing { db in
            try db.run("UPDATE sso_officials SET password_hash = ?, failed_attempts = 0, locked_until = NULL WHERE id = ?", [hash, officialID])
        }
        _ = try await existingOfficial(officialID)
    }

    public func recordLoginFailure(officialID: String, at: Date, limit: Int, lockFor: TimeInterval) async throws -> Official {
        // One statement: concurrent failures on several connections each count (SQLite serialises writes).
        try await writing { db in
            try db.run(
                """
                UPDATE sso_officials SET
                    locked_until = CASE WHEN failed_attempts + 1 >= ? THEN ? ELSE locked_until END,
                    failed_attempts = CASE WHEN failed_attempts + 1 >= ? THEN 0 ELSE failed_attempts + 1 END
                WHERE id = ?
                """,
                [limit, at.addingTimeInterval(lockFor).millis, limit, officialID])
        }
        return try await existingOfficial(officialID)
    }

    public func recordLoginSuccess(officialID: String, at: Date) async throws {
        try await writing { db in
            try db.run(
                "UPDATE sso_officials SET failed_attempts = 0, locked_until = CASE WHEN locked_until <= ? THEN NULL ELSE locked_until END WHERE id = ?",
                [at.millis, officialID])
        }
    }

    private func existingOfficial(_ id: String) async throws -> Official {
        guard let official = try await official(id: id) else {
            throw LGSPError(.unknownOfficial, "no official has the id '\(id)'")
        }
        return official
    }

    // MARK: Clients

    public func addSSOClient(_ client: SSOClient) async throws {
        let redirects = try Self.json(client.redirectURIs)
        let logouts = try Self.json(client.postLogoutRedirectURIs)
        do {
            try await writing { db in
                try db.run(
                    """
                    INSERT INTO sso_clients (id, secret_hash, name, redirect_uris, post_logout_uris, backchannel_uri, created_at, disabled)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                    [client.id, client.secretHash, client.name, redirects, logouts, client.backchannelLogoutURI, client.createdAt.millis, client.disabled])
            }
        } catch let error as DatabaseError where error.resultCode == .SQLITE_CONSTRAINT {
            throw LGSPError(.ssoClientExists, "an SSO client with the id '\(client.id)' already exists", field: "clientId")
        }
    }

    public func ssoClient(id: String) async throws -> SSOClient? {
        try await reading { db in try db.row("SELECT * FROM sso_clients WHERE id = ?", [id]).map(Self.client) }
    }

    public func ssoClients() async throws -> [SSOClient] {
        try await reading { db in try db.rows("SELECT * FROM sso_clients ORDER BY name, id").map(Self.client) }
    }

    public func setSSOClientDisabled(id: String, disabled: Bool) async throws -> SSOClient {
        try await writing { db in try db.run("UPDATE sso_clients SET disabled = ? WHERE id = ?", [disabled, id]) }
        guard let client = try await ssoClient(id: id) else {
            throw LGSPError(.unknownSSOClient, "no SSO client has the id '\(id)'", field: "clientId")
        }
        return client
    }

    // MARK: Codes

    public func addAuthorizationCode(_ code: AuthorizationCode) async throws {
        try await writing { db in
            try db.run(
                """
                INSERT INTO sso_codes (id, client_id, redirect_uri, code_challenge, nonce, official_id, session_id, auth_time, issued_at, expires_at,
                    redeemed_at, revoked_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
                [
                    code.id, code.clientID, code.redirectURI, code.codeChallenge, code.nonce, code.officialID, code.sessionID, code.authTime.millis,
                    code.issuedAt.millis, code.expiresAt.millis, code.redeemedAt?.millis, code.revokedAt?.millis,
                ])
        }
    }

    public func authorizationCode(id: String) async throws -> AuthorizationCode? {
        try await reading { db in try db.row("SELECT * FROM sso_codes WHERE id = ?", [id]).map(Self.code) }
    }

    public func redeemAuthorizationCode(id: String, at: Date) async throws -> CodeRedemption {
        // One write transaction: of concurrent redemptions exactly one sees `redeemed_at IS NULL`.
        try await writing { db in
            guard let row = try db.row("SELECT * FROM sso_codes WHERE id = ?", [id]) else { return .unknown }
            var code = try Self.code(row)
            if code.redeemedAt == nil {
                try db.run("UPDATE sso_codes SET redeemed_at = ? WHERE id = ?", [at.millis, id])
                code.redeemedAt = at
                return .redeemed(code)
            }
            if code.revokedAt == nil {
                try db.run("UPDATE sso_codes SET revoked_at = ? WHERE id = ?", [at.millis, id])
                code.revokedAt = at
            }
            return .replayed(code)
        }
    }

    // MARK: Sessions

    public func addSSOSession(_ session: SSOSession) async throws {
        try await writing { db in
            try db.run(
                "INSERT INTO sso_sessions (id, cookie_hash, official_id, auth_time, expires_at, ended_at) VALUES (?, ?, ?, ?, ?, ?)",
                [session.id, session.cookieHash, session.officialID, session.authTime.millis, session.expiresAt.millis, session.endedAt?.millis])
            for client in session.clientIDs {
                try db.run("INSERT OR IGNORE INTO sso_session_clients (session_id, client_id) VALUES (?, ?)", [session.id, client])
            }
        }
    }

    public func ssoSession(id: String) async throws -> SSOSession? {
        try await reading { db in try Self.session(db, where: "id = ?", id) }
    }

    public func ssoSession(cookieHash: String) async throws -> SSOSession? {
        try await reading { db in try Self.session(db, where: "cookie_hash = ?", cookieHash) }
    }

    public func addSessionClient(sessionID: String, clientID: String) async throws {
        try await writing { db in
            try db.run("INSERT OR IGNORE INTO sso_session_clients (session_id, client_id) VALUES (?, ?)", [sessionID, clientID])
        }
    }

    public func endSSOSession(id: String, at: Date) async throws -> SSOSession? {
        try await writing { db in
            try db.run("UPDATE sso_sessions SET ended_at = COALESCE(ended_at, ?) WHERE id = ?", [at.millis, id])
            return try Self.session(db, where: "id = ?", id)
        }
    }

    // MARK: Rows

    private static func session(_ db: Database, where condition: String, _ value: String) throws -> SSOSession? {
        guard let row = try db.row("SELECT * FROM sso_sessions WHERE \(condition)", [value]) else { return nil }
        let id: String = row["id"]
        return SSOSession(
            id: id, cookieHash: row["cookie_hash"], officialID: row["official_id"], authTime: try stored(row.date("auth_time"), "session time"),
            expiresAt: try stored(row.date("expires_at"), "session expiry"), endedAt: row.date("ended_at"),
            clientIDs: try db.strings("SELECT client_id FROM sso_session_clients WHERE session_id = ? ORDER BY seq", [id]))
    }

    private static func official(_ row: Row, masterKey: MasterKey) throws -> Official {
        let id: String = row["id"]
        let roles = try stored(strings(row["roles"]), "official roles").map { try stored(OfficialRole(rawValue: $0), "official role") }
        let totp = try (row["sealed_totp"] as Data?).map { String(decoding: try masterKey.open($0, context: "totp:\(id)"), as: UTF8.self) }
        return Official(
            id: id, login: row["login"], displayName: row["display_name"], roles: roles,
            unit: try (row["unit"] as String?).map { try stored(UnitCode(lenient: $0), "official unit") }, passwordHash: row["password_hash"],
            totpSecret: totp, failedAttempts: row["failed_attempts"], lockedUntil: row.date("locked_until"), disabled: row["disabled"],
            createdAt: try stored(row.date("created_at"), "official date"))
    }

    private static func client(_ row: Row) throws -> SSOClient {
        SSOClient(
            id: row["id"], secretHash: row["secret_hash"], name: row["name"],
            redirectURIs: try stored(strings(row["redirect_uris"]), "client redirect URIs"),
            postLogoutRedirectURIs: try stored(strings(row["post_logout_uris"]), "client logout URIs"), backchannelLogoutURI: row["backchannel_uri"],
            createdAt: try stored(row.date("created_at"), "client date"), disabled: row["disabled"])
    }

    private static func code(_ row: Row) throws -> AuthorizationCode {
        AuthorizationCode(
            id: row["id"], clientID: row["client_id"], redirectURI: row["redirect_uri"], codeChallenge: row["code_challenge"], nonce: row["nonce"],
            officialID: row["official_id"], sessionID: row["session_id"], authTime: try stored(row.date("auth_time"), "code time"),
            issuedAt: try stored(row.date("issued_at"), "code time"), expiresAt: try stored(row.date("expires_at"), "code expiry"),
            redeemedAt: row.date("redeemed_at"), revokedAt: row.date("revoked_at"))
    }

    private static func json(_ list: [String]) throws -> String {
        String(decoding: try JSONEncoder().encode(list), as: UTF8.self)
    }

    private static func strings(_ text: String) -> [String]? {
        try? JSONDecoder().decode([String].self, from: Data(text.utf8))
    }
}
