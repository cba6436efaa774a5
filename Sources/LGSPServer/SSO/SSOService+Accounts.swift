import Foundation
import LGSPAuth
import LGSPCore

extension SSOService {
    /// A new official and, when a second factor was asked for, its TOTP secret (shown once).
    public struct NewOfficial: Sendable {
        public var official: Official
        public var totpSecret: String?
    }

    /// Registers an official with a password (hashed with scrypt) and optionally a TOTP secret.
    ///
    /// - Throws: `request.invalid_field` for a bad login, role set or short password,
    ///   `directory.unknown_unit` for a unit-officer's unit the directory does not know (checked by the
    ///   caller through `unitExists`), `account.official_exists` for a taken login.
    public func addOfficial(
        login: String, name: String?, roles: [OfficialRole], unit: UnitCode?, password: String, totp: Bool
    ) async throws -> NewOfficial {
        let login = login.lowercased()
        try Official.validateLogin(login)
        try Official.validateRoles(roles, unit: unit)
        guard password.count >= 8 else {
            throw LGSPError(.invalidField, "the password must have at least 8 characters", field: "password")
        }
        guard password.count <= 1024 else { throw LGSPError(.invalidField, "the password is longer than 1024 characters", field: "password") }
        let secret = totp ? TOTP.newSecret() : nil
        let official = Official(
            id: CredentialGenerator.identifier(), login: login, displayName: (name?.isEmpty == false ? name : nil) ?? login,
            roles: Array(Set(roles)).sorted { $0.rawValue < $1.rawValue }, unit: unit, passwordHash: try hasher.hash(password),
            totpSecret: secret, createdAt: clock.now())
        try await accounts.addOfficial(official)
        return NewOfficial(official: official, totpSecret: secret)
    }

    /// Every official, by login.
    public func officials() async throws -> [Official] { try await accounts.officials() }

    /// Disables (or enables) an official's sign-in; `account.unknown_official` for an unknown login.
    public func setDisabled(_ disabled: Bool, login: String) async throws -> Official {
        guard let official = try await accounts.official(login: login.lowercased()) else {
            throw LGSPError(.unknownOfficial, "no official has the login '\(login)'", field: "login")
        }
        return try await accounts.setOfficialDisabled(id: official.id, disabled: disabled)
    }

    /// A new client and its secret (shown once; only its hash is kept).
    public struct NewClient: Sendable {
        public var client: SSOClient
        public var secret: String
    }

    /// Registers a business app as a client: redirect URIs, post-logout URIs and a back-channel logout URI,
    /// each an absolute http(s) URI; the client id is generated.
    public func addClient(
        name: String, redirectURIs: [String], postLogoutRedirectURIs: [String], backchannelLogoutURI: String?
    ) async throws -> NewClient {
        let name = name.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !name.isEmpty, name.count <= 200 else {
            throw LGSPError(.invalidName, "a client needs a name of 1 to 200 characters", field: "name")
        }
        guard !redirectURIs.isEmpty else { throw LGSPError(.missingField, "a client needs at least one redirect URI", field: "redirectUris") }
        for (index, uri) in redirectURIs.enumerated() { try SSOClient.validateURI(uri, field: "redirectUris[\(index)]") }
        for (index, uri) in postLogoutRedirectURIs.enumerated() { try SSOClient.validateURI(uri, field: "postLogoutRedirectUris[\(index)]") }
        if let uri = backchannelLogoutURI { try SSOClient.validateURI(uri, field: "backchannelLogoutUri") }
        let secret = Self.randomToken()
        let client = SSOClient(
            id: "lgsp-app-" + CredentialGenerator.identifier().replacingOccurrences(of: "-", with: "").prefix(16), secretHash: Self.sha256Hex(secret),
            name: name, redirectURIs: redirectURIs, postLogoutRedirectURIs: postLogoutRedirectURIs, backchannelLogoutURI: backchannelLogoutURI,
            createdAt: clock.now())
        try await accounts.addSSOClient(client)
        return NewClient(client: client, secret: secret)
    }

    /// Every registered client (the built-in console client is not listed).
    public func clients() async throws -> [SSOClient] { try await accounts.ssoClients() }

    /// Disables (or enables) a client: its codes are no longer issued or redeemed.
    public func setClientDisabled(_ disabled: Bool, id: String) async throws -> SSOClient {
        try await accounts.setSSOClientDisabled(id: id, disabled: disabled)
    }
}
