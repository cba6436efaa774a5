import HTTPTypes

/// An OAuth 2.0 / OpenID Connect protocol error (RFC 6749 §5.2, §4.1.2.1): the `error` code a relying
/// party branches on, and a description naming the problem. The token endpoint answers it as JSON, the
/// authorization endpoint as a redirect to the client (or as a page when the client or redirect URI is
/// itself at fault), userinfo in `WWW-Authenticate` (RFC 6750 §3).
struct OAuthError: Error, Sendable, Equatable {
    var error: String
    var description: String
    var status: HTTPResponse.Status = .badRequest

    static func invalidRequest(_ description: String) -> OAuthError { OAuthError(error: "invalid_request", description: description) }
    static func invalidGrant(_ description: String) -> OAuthError { OAuthError(error: "invalid_grant", description: description) }
    static func invalidClient(_ description: String) -> OAuthError {
        OAuthError(error: "invalid_client", description: description, status: .unauthorized)
    }
    static func invalidToken(_ description: String) -> OAuthError {
        OAuthError(error: "invalid_token", description: description, status: .unauthorized)
    }
}
