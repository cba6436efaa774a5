import Foundation
import LGSPCore

/// OAuth 1.0a request signing (RFC 5849) as a `SignatureScheme`, for legacy systems: an
/// `Authorization: OAuth …` header with `HMAC-SHA1`, `HMAC-SHA256`, `RSA-SHA1` or `RSA-SHA256`.
///
/// Two-legged: the consumer key is the app's access key, the consumer secret its secret key, and the
/// token secret is empty (an `oauth_token`, if sent, must be empty). `oauth_timestamp` must be within
/// `allowedSkew` of the hub's clock and `oauth_nonce` is required (refused when seen twice within the
/// nonce window); `oauth_version`, when present, must be `1.0`.
///
/// What the signature covers (§3.4.1): the method, the base string URI (scheme, host, port, path),
/// the query parameters, the protocol parameters and the parameters of an
/// `application/x-www-form-urlencoded` body (only on routes that read their body; elsewhere such
/// requests are refused). Other bodies are not covered by OAuth 1.0a itself: when the client sends
/// `oauth_body_hash` (the Request Body Hash extension) the hub checks it; without it the body is
/// unprotected, which is accepted for legacy clients only — prefer RFC 9421 or SigV4.
///
/// The URI scheme is not on the wire, so the base string URI is recomputed with each of
/// `uriSchemes` (https, then http); the first that verifies wins.
public struct OAuth1Scheme: SignatureScheme {
    /// Largest accepted difference between `oauth_timestamp` and the hub's clock, in seconds.
    public var allowedSkew: TimeInterval
    /// URI schemes tried for the base string URI, in order.
    public var uriSchemes: [String]

    public init(allowedSkew: TimeInterval = 300, uriSchemes: [String] = ["https", "http"]) {
        self.allowedSkew = allowedSkew
        self.uriSchemes = uriSchemes
    }

    /// RFC 5849 §3.4 method names (and the SHA-256 variants legacy clients use).
    static let methods: [String: SignatureAlgorithm] = [
        "HMAC-SHA1": .hmacSHA1, "HMAC-SHA256": .hmacSHA256, "RSA-SHA1": .rsaPKCS1SHA1, "RSA-SHA256": .rsaPKCS1SHA256,
    ]

    public var scheme: AuthScheme { .oauth1 }

    public func recognizes(_ request: SignableRequest) -> Bool {
        request.value("authorization").map(OAuthAuthorizationHeader.isOAuth) ?? false
    }

    public func parse(_ request: SignableRequest, now: Date) throws(LGSPError) -> ParsedSignature {
        let header = try OAuthAuthorizationHeader(request.value("authorization") ?? "")
        func required(_ name: String) throws(LGSPError) -> String {
            guard let value = header[name], !value.isEmpty else {
                throw LGSPError(.malformedAuthorization, "the OAuth Authorization header has no \(name)")
            }
            return value
        }
        let consumerKey = try required("oauth_consumer_key")
        let method = try required("oauth_signature_method")
        guard let algorithm = Self.methods[method] else {
            throw LGSPError(.unsupportedAlgorithm, "oauth_signature_method \(method) is not supported; use HMAC-SHA256, RSA-SHA256, or for legacy apps HMAC-SHA1 or RSA-SHA1",
                details: ["supported": Self.methods.keys.sorted().joined(separator: ",")])
        }
        guard let signature = Data(base64Encoded: try required("oauth_signature")) else {
            throw LGSPError(.malformedAuthorization, "oauth_signature is not base64 (percent-encoded in the header)")
        }
        let nonce = try required("oauth_nonce")
        if let version = header["oauth_version"], version != "1.0" {
            throw LGSPError(.malformedAuthorization, "oauth_version is \(version); only 1.0 exists")
        }
        if let token = header["oauth_token"], !token.isEmpty {
            throw LGSPError(.malformedAuthorization, "oauth_token is not used at this hub: sign two-legged, with the access key as consumer key and the secret key as consumer secret")
        }
        try checkTimestamp(try required("oauth_timestamp"), now: now)
        let uriSchemes = uriSchemes
        return ParsedSignature(scheme: .oauth1, keyID: consumerKey, algorithm: algorithm, nonce: nonce) {
            credentials, payload, debug throws(LGSPError) in
            let partial = request.value("content-range") != nil
            if let bodyHash = header["oauth_body_hash"] { try OAuthBodyHash.check(bodyHash, payload: payload, partial: partial) }
            let bodyParameters = try Self.formParameters(request, payload: payload)
            var bases: [String] = []
            for uriScheme in uriSchemes {
                let base = OAuthSignatureBaseString.make(
                    request, scheme: uriScheme, protocolParameters: header.parameters, bodyParameters: bodyParameters)
                if !bases.contains(base) { bases.append(base) }
            }
            return try Self.verify(signature, bases: bases, algorithm: algorithm, credentials: credentials, debug: debug)
        }
    }

    private func checkTimestamp(_ text: String, now: Date) throws(LGSPError) {
        guard let seconds = Int64(text) else {
            throw LGSPError(.malformedAuthorization, "oauth_timestamp '\(text)' must be seconds since 1970")
        }
        if abs(TimeInterval(seconds) - now.timeIntervalSince1970) > allowedSkew {
            throw LGSPError(.clockSkew, "oauth_timestamp \(seconds) is more than \(Int(allowedSkew)) seconds away from the hub's time \(Int64(now.timeIntervalSince1970)) (\(AmzDate.format(now))); correct the clock (GET /v1/time)",
                details: ["serverTime": AmzDate.format(now), "serverEpoch": String(Int64(now.timeIntervalSince1970)), "requestTime": text])
        }
    }

    /// The parameters of a form-encoded body (RFC 5849 §3.4.1.3.1), which only routes that read their
    /// body can supply.
    static func formParameters(_ request: SignableRequest, payload: PayloadPolicy) throws(LGSPError) -> [(name: String, value: String)] {
        guard let type = request.value("content-type"), type.lowercased().hasPrefix("application/x-www-form-urlencoded") else { return [] }
        if let bytes = payload.bodyBytes { return FormEncoding.pairs(String(decoding: bytes, as: UTF8.self)) }
        if payload.bodySHA256 == SigV4Canonical.emptyPayloadHash { return [] }
        throw LGSPError(.malformedAuthorization, "this route does not read form-encoded bodies, so their OAuth parameters cannot be verified; send another content type (the hub's API is JSON)")
    }

    static func verify(_ signature: Data, bases: [String], algorithm: SignatureAlgorithm, credentials: AppCredentials, debug: Bool) throws(LGSPError) -> Int {
        for base in bases {
            let message = Data(base.utf8)
            if algorithm.isRSA {
                guard let pem = credentials.rsaPublicKeyPEM else {
                    throw LGSPError(.schemeNotAllowed, "this app has no RSA public key registered, so \(algorithm.rawValue) cannot be verified")
                }
                if try algorithm.isValidRSASignature(signature, message: message, publicKeyPEM: pem) { return 0 }
                continue
            }
            // RFC 5849 §3.4.2: the key is the encoded consumer secret, "&", and the (empty) token secret.
            for (index, secret) in credentials.secrets.enumerated()
            where algorithm.isValidMAC(signature, message: message, key: Data((PercentEncoding.encode(secret) + "&").utf8)) {
                return index
            }
        }
        var details: [String: String] = [:]
        if debug, let first = bases.first { details["signatureBase"] = first }
        throw LGSPError(.signatureMismatch, "the OAuth \(algorithm.rawValue) signature does not match the signature base string the hub built (RFC 5849 §3.4.1); \(algorithm.rsaMismatchHint), that the consumer key is the access key and the consumer secret the secret key (no token), and that the URL and parameters are sent exactly as signed",
            details: details)
    }
}
