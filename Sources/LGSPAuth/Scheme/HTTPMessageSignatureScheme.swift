import Foundation
import LGSPCore

/// RFC 9421 HTTP Message Signatures as a `SignatureScheme`: `Signature-Input` and `Signature`
/// headers, algorithms `hmac-sha256`, `rsa-v1_5-sha256` and `rsa-pss-sha512`.
///
/// What the hub requires of a signature (the first label of `Signature-Input` is the one verified):
/// - parameters `keyid` (the app's access key), `alg` (the hub cannot infer it without the key) and
///   `created`, within `allowedSkew` of the hub's clock; `expires`, when present, not past; `nonce`
///   optional, and refused when seen twice within the nonce window;
/// - covered components `@method`, `@authority`, and `@target-uri` or `@path` — with `@path`, also
///   `@query` when the request has a query string (otherwise the query could be changed unsigned);
/// - `content-digest` (RFC 9530, `sha-256` or `sha-512`) when a route that reads its body receives
///   one; for content uploads and downloads it may be left out (the exchange checks the content's
///   own digest).
///
/// The URI scheme is not on the wire, so `@target-uri` and `@scheme` are recomputed with each of
/// `uriSchemes` (https, then http: the hub serves http on loopback and https with TLS or behind a
/// terminating proxy); the first that verifies wins. No forwarding header is consulted.
///
/// HMAC keys are the UTF-8 bytes of the app's secret key, as issued.
public struct HTTPMessageSignatureScheme: SignatureScheme {
    /// Largest accepted difference between `created` and the hub's clock, in seconds.
    public var allowedSkew: TimeInterval
    /// URI schemes tried for `@target-uri` and `@scheme`, in order.
    public var uriSchemes: [String]

    public init(allowedSkew: TimeInterval = 300, uriSchemes: [String] = ["https", "http"]) {
        self.allowedSkew = allowedSkew
        self.uriSchemes = uriSchemes
    }

    /// RFC 9421 §6.2.2 names of the algorithms the hub verifies.
    static let algorithms: [String: SignatureAlgorithm] = [
        "hmac-sha256": .hmacSHA256, "rsa-v1_5-sha256": .rsaPKCS1SHA256, "rsa-pss-sha512": .rsaPSSSHA512,
    ]

    public var scheme: AuthScheme { .httpMessageSignatures }

    public func recognizes(_ request: SignableRequest) -> Bool {
        request.value("signature-input") != nil || request.value("signature") != nil
    }

    public func parse(_ request: SignableRequest, now: Date) throws(LGSPError) -> ParsedSignature {
        let signature = try MessageSignature.all(in: request)[0]
        guard let keyID = signature.keyID, !keyID.isEmpty else {
            throw LGSPError(.malformedAuthorization, "signature \(signature.label) has no keyid parameter; set keyid=\"<your access key>\"")
        }
        guard let name = signature.algorithm else {
            throw LGSPError(.malformedAuthorization, "signature \(signature.label) has no alg parameter; this hub needs it to know how to verify: alg=\"hmac-sha256\", \"rsa-v1_5-sha256\" or \"rsa-pss-sha512\"")
        }
        guard let algorithm = Self.algorithms[name] else {
            throw LGSPError(.unsupportedAlgorithm, "alg \"\(name)\" is not supported; use hmac-sha256, rsa-v1_5-sha256 or rsa-pss-sha512",
                details: ["supported": Self.algorithms.keys.sorted().joined(separator: ",")])
        }
        try Self.checkCoverage(signature, request: request)
        try checkFreshness(signature, now: now)
        let bases = try Self.bases(signature, request: request, uriSchemes: uriSchemes)
        let digestCovered = signature.components.contains { $0.name == "content-digest" && $0.stringParameter("key") == nil }
        return ParsedSignature(scheme: .httpMessageSignatures, keyID: keyID, algorithm: algorithm, nonce: signature.nonce) {
            credentials, payload, debug throws(LGSPError) in
            try Self.checkBody(request, payload: payload, digestCovered: digestCovered)
            return try MessageSignatureVerifier.verify(
                signature.value, bases: bases, algorithm: algorithm,
                hmacKeys: credentials.secrets.map { Data($0.utf8) }, rsaPublicKeyPEM: credentials.rsaPublicKeyPEM, debug: debug)
        }
    }

    /// The distinct signature bases for each URI scheme tried.
    static func bases(_ signature: MessageSignature, request: SignableRequest, uriSchemes: [String]) throws(LGSPError) -> [String] {
        var bases: [String] = []
        for uriScheme in uriSchemes {
            let base = try SignatureBase.make(signature, request: request, scheme: uriScheme)
            if !bases.contains(base) { bases.append(base) }
        }
        return bases
    }

    /// The components every request signature must cover.
    static func checkCoverage(_ signature: MessageSignature, request: SignableRequest) throws(LGSPError) {
        let covered = Set(signature.components.filter(\.parameterNames.isEmpty).map(\.name))
        let listed = "covered: (\(signature.components.map(\.serialized).joined(separator: " ")))"
        for required in ["@method", "@authority"] where !covered.contains(required) {
            throw LGSPError(.missingSignedHeader, "the signature must cover \(required); \(listed)")
        }
        if covered.contains("@target-uri") { return }
        guard covered.contains("@path") else {
            throw LGSPError(.missingSignedHeader, "the signature must cover @target-uri, or @path (with @query when there is a query string); \(listed)")
        }
        if let query = request.rawQuery, !query.isEmpty, !covered.contains("@query") {
            throw LGSPError(.missingSignedHeader, "the request has a query string, so the signature must cover @query too (or @target-uri instead of @path); \(listed)")
        }
    }

    private func checkFreshness(_ signature: MessageSignature, now: Date) throws(LGSPError) {
        let serverTime = ["serverTime": AmzDate.format(now), "serverEpoch": String(Int64(now.timeIntervalSince1970))]
        guard let created = signature.created else {
            throw LGSPError(.malformedAuthorization, "signature \(signature.label) has no created parameter; this hub requires created=<unix seconds>")
        }
        let createdAt = Date(timeIntervalSince1970: TimeInterval(created))
        if abs(createdAt.timeIntervalSince(now)) > allowedSkew {
            throw LGSPError(.clockSkew, "created=\(created) is more than \(Int(allowedSkew)) seconds away from the hub's time \(Int64(now.timeIntervalSince1970)) (\(AmzDate.format(now))); correct the clock (GET /v1/time)",
                details: serverTime.merging(["requestTime": String(created)]) { $1 })
        }
        if let expires = signature.expires {
            guard expires >= created else {
                throw LGSPError(.malformedAuthorization, "expires=\(expires) is before created=\(created)")
            }
            if now.timeIntervalSince1970 > TimeInterval(expires) {
                throw LGSPError(.clockSkew, "the signature expired at \(expires) (expires parameter); the hub's time is \(Int64(now.timeIntervalSince1970))",
                    details: serverTime.merging(["expires": String(expires)]) { $1 })
            }
        }
    }

    /// A body the route read must be covered by `content-digest` and match it; a content stream may
    /// go without, but a covered digest must still fit.
    static func checkBody(_ request: SignableRequest, payload: PayloadPolicy, digestCovered: Bool) throws(LGSPError) {
        let hasBody = payload.bodySHA256.map { $0 != SigV4Canonical.emptyPayloadHash } ?? false
        guard digestCovered else {
            if hasBody {
                throw LGSPError(.missingSignedHeader, "the request has a body, so the signature must cover content-digest (send Content-Digest: sha-256=:…: and list \"content-digest\" in Signature-Input)")
            }
            return
        }
        let field = try ContentDigestField.parse(request.values("content-digest"))
        try field.check(payload, partial: request.value("content-range") != nil)
    }
}
