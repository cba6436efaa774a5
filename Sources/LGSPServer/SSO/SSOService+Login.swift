import Foundation
import LGSPAuth
import LGSPCore

extension SSOService {
    /// What checking a login form found.
    enum LoginOutcome: Sendable, Equatable {
        case success(Official)
        /// Unknown login or wrong password (the same answer for both).
        case wrongCredentials
        /// Too many failures: refused without checking the password until `until`.
        case locked(until: Date)
        case disabled
        /// The password was right; the official has a second factor and did not type its code.
        case totpNeeded
        /// The password was right and the TOTP code was wrong (counts as a failure).
        case wrongTOTP
    }

    /// A hash of a password nobody has, made with the configured cost (`sso.passwordCost`) on first use:
    /// checked for unknown logins so that they take as long as known ones (a fixed cost would tell them apart).
    private func decoyHash() -> String {
        if let made = decoy.withLock({ $0 }) { return made }
        let made = (try? hasher.hash(Self.randomToken())) ?? ""
        decoy.withLock { $0 = made }
        return made
    }

    /// Checks a login and password (and TOTP code), counting failures and locking the official out after
    /// `sso.lockoutAttempts` in a row for `sso.lockoutMinutes`.
    func authenticate(login: String, password: String, totp: String?) async throws -> LoginOutcome {
        let now = clock.now()
        let login = login.trimmingCharacters(in: .whitespaces).lowercased()
        guard (try? Official.validateLogin(login)) != nil, let official = try await accounts.official(login: login) else {
            _ = PasswordHasher.verify(password, against: decoyHash())
            record("sso.login", login: nil, target: "login \(login.prefix(64))", outcome: "sso.wrong_credentials")
            return .wrongCredentials
        }
        if let until = official.lockedUntil, until > now, !official.disabled {
            record("sso.login", login: login, target: "login \(login)", outcome: "sso.locked")
            return .locked(until: until)
        }
        let passwordMatches = PasswordHasher.verify(password, against: official.passwordHash)
        // A disabled account is named only to someone who knows its password, and counts no failures.
        if official.disabled {
            record("sso.login", login: login, target: "login \(login)", outcome: passwordMatches ? "sso.disabled" : "sso.wrong_credentials")
            return passwordMatches ? .disabled : .wrongCredentials
        }
        guard passwordMatches else {
            return try await failure(official, outcome: .wrongCredentials, now: now)
        }
        if let secret = official.totpSecret {
            guard let code = totp?.trimmingCharacters(in: .whitespaces), !code.isEmpty else { return .totpNeeded }
            guard TOTP.verify(code, secret: secret, at: now) else { return try await failure(official, outcome: .wrongTOTP, now: now) }
        }
        try await accounts.recordLoginSuccess(officialID: official.id, at: now)
        record("sso.login", login: login, target: "login \(login)")
        return .success(official)
    }

    private func failure(_ official: Official, outcome: LoginOutcome, now: Date) async throws -> LoginOutcome {
        let updated = try await accounts.recordLoginFailure(
            officialID: official.id, at: now, limit: max(1, configuration.lockoutAttempts), lockFor: configuration.lockoutDuration)
        if let until = updated.lockedUntil, until > now {
            logger.warning("SSO: official \(official.login) locked out until \(until) after repeated failures")
            record("sso.lockout", login: official.login, target: "login \(official.login)", outcome: "sso.locked")
            return .locked(until: until)
        }
        record("sso.login", login: official.login, target: "login \(official.login)", outcome: "sso.wrong_credentials")
        return outcome
    }

    /// Opens an SSO session for a signed-in official; returns it and the cookie value (shown only to the browser).
    func startSession(for official: Official) async throws -> (SSOSession, cookie: String) {
        let cookie = Self.randomToken()
        let now = clock.now()
        let session = SSOSession(
            id: CredentialGenerator.identifier(), cookieHash: Self.sha256Hex(cookie), officialID: official.id, authTime: now,
            expiresAt: now.addingTimeInterval(configuration.sessionLifetime))
        try await accounts.addSSOSession(session)
        return (session, cookie)
    }

    /// The live session a browser cookie names, with its official (nil when ended, expired, or the official is disabled).
    func session(cookie: String) async throws -> (SSOSession, Official)? {
        guard !cookie.isEmpty, let session = try await accounts.ssoSession(cookieHash: Self.sha256Hex(cookie)), session.isActive(at: clock.now()),
            let official = try await accounts.official(id: session.officialID), !official.disabled
        else { return nil }
        return (session, official)
    }

    /// Issues a one-time code for a validated authorization request in `session`.
    func issueCode(for request: AuthorizationRequest, session: SSOSession) async throws -> String {
        let code = Self.randomToken()
        let now = clock.now()
        try await accounts.addAuthorizationCode(
            AuthorizationCode(
                id: Self.sha256Hex(code), clientID: request.clientID, redirectURI: request.redirectURI, codeChallenge: request.codeChallenge,
                nonce: request.nonce, officialID: session.officialID, sessionID: session.id, authTime: session.authTime, issuedAt: now,
                expiresAt: now.addingTimeInterval(configuration.codeLifetime)))
        try await accounts.addSessionClient(sessionID: session.id, clientID: request.clientID)
        return code
    }
}
