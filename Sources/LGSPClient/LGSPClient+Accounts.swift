import Foundation
import LGSPAPI
import LGSPCore

/// The SSO's admin API (Article 11): officials and registered client apps; needs an administrator credential.
extension LGSPClient {
    /// Registers an official; with `totp` the answer carries the TOTP secret (shown once).
    public func addOfficial(
        login: String, name: String? = nil, roles: [String], unit: String? = nil, password: String, totp: Bool = false
    ) async throws -> CreatedOfficialResponse {
        try await json(
            .POST, "/v1/admin/officials",
            body: CreateOfficialRequest(login: login, name: name, roles: roles, unit: unit, password: password, totp: totp ? true : nil))
    }

    public func officials() async throws -> [OfficialBody] {
        let response: OfficialListResponse = try await json(.GET, "/v1/admin/officials")
        return response.items
    }

    /// Disables (or enables) an official's sign-in.
    public func setOfficialDisabled(login: String, _ disabled: Bool) async throws -> OfficialBody {
        try await json(.POST, "/v1/admin/officials/\(Self.pathSegment(login))/\(disabled ? "disable" : "enable")")
    }

    /// Registers a business app with the SSO; the answer carries the client secret (shown once) and the URLs to configure.
    public func addSSOClient(
        name: String, redirectURIs: [String], postLogoutRedirectURIs: [String] = [], backchannelLogoutURI: String? = nil
    ) async throws -> CreatedSSOClientResponse {
        try await json(
            .POST, "/v1/admin/sso/clients",
            body: CreateSSOClientRequest(
                name: name, redirectUris: redirectURIs, postLogoutRedirectUris: postLogoutRedirectURIs.isEmpty ? nil : postLogoutRedirectURIs,
                backchannelLogoutUri: backchannelLogoutURI))
    }

    public func ssoClients() async throws -> SSOClientListResponse {
        try await json(.GET, "/v1/admin/sso/clients")
    }

    /// Disables (or enables) a registered SSO client.
    public func setSSOClientDisabled(clientID: String, _ disabled: Bool) async throws -> SSOClientBody {
        try await json(.POST, "/v1/admin/sso/clients/\(Self.pathSegment(clientID))/\(disabled ? "disable" : "enable")")
    }

    static func pathSegment(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-._~"))) ?? text
    }
}
