import Foundation

/// The SSO's accounts: officials, registered client apps, authorization codes and SSO sessions.
///
/// Contract (checked by `AccountStoreConformance` in LGSPTesting, on every backend):
/// - Logins and client ids are unique: `addOfficial` with a taken login throws
///   `account.official_exists`, `addSSOClient` with a taken id throws `sso.client_exists`.
/// - TOTP secrets are sealed at rest; password hashes and client secret hashes are stored as given.
/// - `recordLoginFailure` is atomic across nodes: it counts one failure and, when the count reaches
///   `limit`, locks the official until `at + lockFor` and starts counting again from zero; it returns
///   the official as updated. `recordLoginSuccess` resets the count and clears an expired lock.
/// - `redeemAuthorizationCode` is atomic across nodes: of any number of concurrent calls for one code,
///   exactly one gets `.redeemed`; every other (and every later) call gets `.replayed` and the code is
///   marked revoked (`revokedAt`), which `authorizationCode(id:)` then shows.
/// - `addSessionClient` records a client once per session, in first-use order.
/// - `endSSOSession` sets `endedAt` once (a second call keeps the first time) and returns the session.
/// - Unknown ids read as nil; updates of unknown officials or clients throw `account.unknown_official`
///   or `sso.unknown_client`.
public protocol AccountStore: Sendable {
    func addOfficial(_ official: Official) async throws
    func official(id: String) async throws -> Official?
    func official(login: String) async throws -> Official?
    /// Every official, by login.
    func officials() async throws -> [Official]
    /// Disables or enables sign-in; returns the official as updated.
    func setOfficialDisabled(id: String, disabled: Bool) async throws -> Official
    /// Replaces the password hash (and clears the failure count and lock).
    func setPasswordHash(officialID: String, hash: String) async throws
    func recordLoginFailure(officialID: String, at: Date, limit: Int, lockFor: TimeInterval) async throws -> Official
    func recordLoginSuccess(officialID: String, at: Date) async throws

    func addSSOClient(_ client: SSOClient) async throws
    func ssoClient(id: String) async throws -> SSOClient?
    /// Every client, by name then id.
    func ssoClients() async throws -> [SSOClient]
    func setSSOClientDisabled(id: String, disabled: Bool) async throws -> SSOClient

    func addAuthorizationCode(_ code: AuthorizationCode) async throws
    func authorizationCode(id: String) async throws -> AuthorizationCode?
    func redeemAuthorizationCode(id: String, at: Date) async throws -> CodeRedemption

    func addSSOSession(_ session: SSOSession) async throws
    func ssoSession(id: String) async throws -> SSOSession?
    func ssoSession(cookieHash: String) async throws -> SSOSession?
    func addSessionClient(sessionID: String, clientID: String) async throws
    func endSSOSession(id: String, at: Date) async throws -> SSOSession?
}
