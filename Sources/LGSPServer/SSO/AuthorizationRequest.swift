import Foundation
import LGSPAuth
import LGSPCore

/// An OpenID Connect authorization request (OIDC Core §3.1.2.1 with PKCE, RFC 7636), read from the query
/// of `GET /sso/authorize` or the hidden fields of the login form.
struct AuthorizationRequest: Sendable, Equatable {
    var clientID: String
    var redirectURI: String
    var responseType: String
    var scope: String
    var state: String?
    var nonce: String?
    var codeChallenge: String
    var codeChallengeMethod: String
    var prompt: String?

    /// The request's parameters, to carry through the login form.
    static let fieldNames = [
        "client_id", "redirect_uri", "response_type", "scope", "state", "nonce", "code_challenge", "code_challenge_method",
    ]

    init(_ parameters: [String: String]) {
        clientID = parameters["client_id"] ?? ""
        redirectURI = parameters["redirect_uri"] ?? ""
        responseType = parameters["response_type"] ?? ""
        scope = parameters["scope"] ?? ""
        state = parameters["state"]
        nonce = parameters["nonce"]
        codeChallenge = parameters["code_challenge"] ?? ""
        codeChallengeMethod = parameters["code_challenge_method"] ?? ""
        prompt = parameters["prompt"]
    }

    var parameters: [(String, String)] {
        var list = [
            ("client_id", clientID), ("redirect_uri", redirectURI), ("response_type", responseType), ("scope", scope),
            ("code_challenge", codeChallenge), ("code_challenge_method", codeChallengeMethod),
        ]
        if let state { list.append(("state", state)) }
        if let nonce { list.append(("nonce", nonce)) }
        return list
    }

    /// The client and redirect URI, which must be right before anything is sent back to the redirect URI
    /// (RFC 6749 §4.1.2.1: otherwise the user sees an error page and is not redirected).
    func checkClient(_ service: SSOService) async throws -> Result<SSOClient, OAuthError> {
        guard !clientID.isEmpty else { return .failure(.invalidRequest("the request names no client_id")) }
        guard let client = try await service.client(id: clientID), !client.disabled else {
            return .failure(OAuthError(error: "invalid_client", description: "client_id '\(clientID.prefix(80))' is not a registered SSO client"))
        }
        guard client.redirectURIs.contains(redirectURI) else {
            return .failure(.invalidRequest("redirect_uri '\(redirectURI.prefix(200))' is not registered for client '\(clientID)'"))
        }
        return .success(client)
    }

    /// The rest of the request; these errors go back to the (verified) redirect URI.
    func checkParameters() -> OAuthError? {
        guard responseType == "code" else {
            return OAuthError(error: "unsupported_response_type", description: "only response_type=code is supported")
        }
        guard scope.split(separator: " ").contains("openid") else {
            return OAuthError(error: "invalid_scope", description: "scope must include openid")
        }
        guard !codeChallenge.isEmpty else { return .invalidRequest("PKCE is required: send code_challenge with code_challenge_method=S256") }
        guard codeChallengeMethod == "S256" else { return .invalidRequest("code_challenge_method must be S256") }
        // RFC 7636 §4.2: BASE64URL(SHA256(verifier)) is 43 characters.
        guard codeChallenge.count == 43, codeChallenge.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }) else {
            return .invalidRequest("code_challenge must be 43 base64url characters (S256)")
        }
        if let nonce, nonce.count > 512 { return .invalidRequest("nonce is longer than 512 characters") }
        if let state, state.count > 2048 { return .invalidRequest("state is longer than 2048 characters") }
        return nil
    }

    /// The redirect back to the client with `items` (code and state, or an error), and `iss` (RFC 9207).
    func redirect(_ items: [(String, String)], issuer: String) -> String {
        var query = items
        if let state { query.append(("state", state)) }
        query.append(("iss", issuer))
        let encoded = query.map { "\(FormEncoding.encode($0.0))=\(FormEncoding.encode($0.1))" }.joined(separator: "&")
        return redirectURI + (redirectURI.contains("?") ? "&" : "?") + encoded
    }
}
