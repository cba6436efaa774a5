/// The discovery document (OpenID Connect Discovery 1.0 §3).
struct Discovery: Encodable {
    var issuer: String
    var authorizationEndpoint: String
    var tokenEndpoint: String
    var userinfoEndpoint: String
    var jwksURI: String
    var endSessionEndpoint: String
    var responseTypesSupported = ["code"]
    var responseModesSupported = ["query"]
    var grantTypesSupported = ["authorization_code"]
    var subjectTypesSupported = ["public"]
    var idTokenSigningAlgValuesSupported = ["ES256"]
    var scopesSupported = ["openid", "profile"]
    var tokenEndpointAuthMethodsSupported = ["client_secret_basic", "client_secret_post"]
    var codeChallengeMethodsSupported = ["S256"]
    var claimsSupported = ["iss", "sub", "aud", "exp", "iat", "auth_time", "nonce", "sid", "preferred_username", "name", "roles", "unit_code"]
    var backchannelLogoutSupported = true
    var backchannelLogoutSessionSupported = true
    var authorizationResponseIssParameterSupported = true
    var uiLocalesSupported = ["vi"]

    init(_ endpoints: SSOEndpoints) {
        issuer = endpoints.issuer
        authorizationEndpoint = endpoints.authorization
        tokenEndpoint = endpoints.token
        userinfoEndpoint = endpoints.userinfo
        jwksURI = endpoints.jwks
        endSessionEndpoint = endpoints.endSession
    }

    enum CodingKeys: String, CodingKey {
        case issuer
        case authorizationEndpoint = "authorization_endpoint"
        case tokenEndpoint = "token_endpoint"
        case userinfoEndpoint = "userinfo_endpoint"
        case jwksURI = "jwks_uri"
        case endSessionEndpoint = "end_session_endpoint"
        case responseTypesSupported = "response_types_supported"
        case responseModesSupported = "response_modes_supported"
        case grantTypesSupported = "grant_types_supported"
        case subjectTypesSupported = "subject_types_supported"
        case idTokenSigningAlgValuesSupported = "id_token_signing_alg_values_supported"
        case scopesSupported = "scopes_supported"
        case tokenEndpointAuthMethodsSupported = "token_endpoint_auth_methods_supported"
        case codeChallengeMethodsSupported = "code_challenge_methods_supported"
        case claimsSupported = "claims_supported"
        case backchannelLogoutSupported = "backchannel_logout_supported"
        case backchannelLogoutSessionSupported = "backchannel_logout_session_supported"
        case authorizationResponseIssParameterSupported = "authorization_response_iss_parameter_supported"
        case uiLocalesSupported = "ui_locales_supported"
    }
}
