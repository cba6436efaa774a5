import Foundation

/// A business application registered with the SSO (Article 11): an OpenID Connect relying party with
/// its client id and secret (only a hash is kept), the redirect URIs it may receive codes at, the
/// addresses it may be sent to after logout, and where it hears of logouts (back-channel).
public struct SSOClient: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The `client_id` (`aud` of its id tokens).
    public var id: String
    /// SHA-256 (hex) of the client secret; nil for the hub's own first-party console, which redeems in process.
    public var secretHash: String?
    public var name: String
    /// Exact redirect URIs (no wildcards, compared as strings, RFC 6749 §3.1.2).
    public var redirectURIs: [String]
    /// Exact `post_logout_redirect_uri` values accepted by the end-session endpoint.
    public var postLogoutRedirectURIs: [String]
    /// Where the hub POSTs a `logout_token` when a session the app took part in ends (OIDC Back-Channel Logout 1.0).
    public var backchannelLogoutURI: String?
    public var createdAt: Date
    public var disabled: Bool

    public init(
        id: String, secretHash: String?, name: String, redirectURIs: [String], postLogoutRedirectURIs: [String] = [],
        backchannelLogoutURI: String? = nil, createdAt: Date, disabled: Bool = false
    ) {
        self.id = id
        self.secretHash = secretHash
        self.name = name
        self.redirectURIs = redirectURIs
        self.postLogoutRedirectURIs = postLogoutRedirectURIs
        self.backchannelLogoutURI = backchannelLogoutURI
        self.createdAt = createdAt
        self.disabled = disabled
    }

    public var description: String { "SSOClient(\(id), \(name), <redacted>)" }

    /// Checks a URI an app registers: absolute `http` or `https`, no fragment (RFC 6749 §3.1.2).
    public static func validateURI(_ text: String, field: String) throws(LGSPError) {
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), scheme == "https" || scheme == "http",
            url.host?.isEmpty == false, url.fragment == nil
        else {
            throw LGSPError(.invalidField, "'\(text)' must be an absolute http(s) URI without a fragment", field: field)
        }
    }
}
