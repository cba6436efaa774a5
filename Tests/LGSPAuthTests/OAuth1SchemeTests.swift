import Foundation
import LGSPAuth
import LGSPCore
import Testing

/// Two-legged OAuth 1.0a requests through the authenticator: the four methods, body integrity, and
/// the code of every refusal.
@Suite("OAuth 1.0a scheme")
struct OAuth1SchemeTests {
    typealias R = HubRequests
    typealias M = HTTPMessageSignatureSchemeTests
    static let timestamp = Int64(R.now.timeIntervalSince1970)
    static let hmac256 = OAuthTestSigner(consumerKey: R.accessKey, method: "HMAC-SHA256", key: .secret(R.secret))
    static let legacyApp: App = {
        var app = M.app
        app.auth.allowSHA1 = true
        app.auth.rsaPublicKeyPEM = MessageSignatureTestSigner.rsaKey.publicKey.pemRepresentation
        return app
    }()

    static func refusal(_ request: SignableRequest, _ payload: PayloadPolicy = M.empty, app: App = M.app) async -> LGSPError? {
        await M.refusal(request, payload, app: app)
    }

    @Test("HMAC-SHA256, and for a legacy app HMAC-SHA1, RSA-SHA1 and RSA-SHA256, authenticate", arguments: [
        "HMAC-SHA256", "HMAC-SHA1", "RSA-SHA1", "RSA-SHA256",
    ])
    func methods(method: String) async throws {
        let key: OAuthTestSigner.Key = method.hasPrefix("RSA") ? .rsa(MessageSignatureTestSigner.rsaKey) : .secret(R.secret)
        let signer = OAuthTestSigner(consumerKey: R.accessKey, method: method, key: key)
        for scheme in ["http", "https"] {
            let request = signer.sign(M.get(), timestamp: Self.timestamp, nonce: "n-\(method)-\(scheme)", scheme: scheme)
            #expect(try await M.authenticator(app: Self.legacyApp).authenticate(request, payload: M.empty).app.accessKey == R.accessKey)
        }
    }

    @Test("HMAC-SHA1 from an app not allowed SHA-1 is auth.scheme_not_allowed")
    func sha1NotAllowed() async {
        let signer = OAuthTestSigner(consumerKey: R.accessKey, method: "HMAC-SHA1", key: .secret(R.secret))
        #expect(await Self.refusal(signer.sign(M.get(), timestamp: Self.timestamp, nonce: "n1"))?.code == .schemeNotAllowed)
    }

    @Test("oauth_body_hash is checked: the signed body passes, a changed body is auth.payload_hash_mismatch")
    func bodyHash() async throws {
        let request = Self.hmac256.sign(
            M.post, timestamp: Self.timestamp, nonce: "n-body", extra: [("oauth_body_hash", OAuthTestSigner.bodyHash(R.jsonBody))])
        _ = try await M.authenticator().authenticate(request, payload: M.jsonPayload)
        let changed = Data(#"{"to":["000.00.05.H24"],"subject":"khác","dataType":"edoc"}"#.utf8)
        let error = await Self.refusal(request, .body(sha256: SigV4Canonical.payloadHash(changed), bytes: changed))
        #expect(error?.code == .payloadHashMismatch)
        #expect(error?.details["computed"] == OAuthTestSigner.bodyHash(changed))
    }

    @Test("without oauth_body_hash a JSON body is not covered (legacy, documented) and the request is accepted")
    func noBodyHash() async throws {
        let request = Self.hmac256.sign(M.post, timestamp: Self.timestamp, nonce: "n-nobody")
        _ = try await M.authenticator().authenticate(request, payload: M.jsonPayload)
    }

    @Test("form-encoded body parameters are signed where the route read the body, and refused on content streams")
    func formBody() async throws {
        let form = "reason=kh%C3%B4ng+nh%E1%BA%ADn&code=7"
        let request = Self.hmac256.sign(
            SignableRequest(method: "POST", target: "/v1/packets/x/reject", headers: [("host", R.host), ("content-type", "application/x-www-form-urlencoded")]),
            timestamp: Self.timestamp, nonce: "n-form", formBody: form)
        let bytes = Data(form.utf8)
        _ = try await M.authenticator().authenticate(request, payload: .body(sha256: SigV4Canonical.payloadHash(bytes), bytes: bytes))
        let changed = Data("reason=kh%C3%B4ng+nh%E1%BA%ADn&code=8".utf8)
        #expect(await Self.refusal(request, .body(sha256: SigV4Canonical.payloadHash(changed), bytes: changed))?.code == .signatureMismatch)
        #expect(await Self.refusal(request, .stream(acceptedHashes: []))?.code == .malformedAuthorization)
    }

    @Test("the nonce is replay-protected: the same request twice is auth.replayed_nonce")
    func replay() async throws {
        let authenticator = M.authenticator()
        let request = Self.hmac256.sign(M.get(), timestamp: Self.timestamp, nonce: "once")
        _ = try await authenticator.authenticate(request, payload: M.empty)
        let error = await #expect(throws: LGSPError.self) { try await authenticator.authenticate(request, payload: M.empty) }
        #expect(error?.code == .replayedNonce)
    }

    @Test("refusals, each with its code", arguments: [
        ("no nonce", ErrorCode.malformedAuthorization), ("version 2.0", .malformedAuthorization), ("token", .malformedAuthorization),
        ("no consumer key", .malformedAuthorization), ("timestamp text", .malformedAuthorization), ("PLAINTEXT", .unsupportedAlgorithm),
        ("RSA-SHA512", .unsupportedAlgorithm), ("old", .clockSkew), ("future", .clockSkew), ("unknown key", .unknownAccessKey),
        ("wrong secret", .signatureMismatch), ("changed query", .signatureMismatch), ("RSA without key", .schemeNotAllowed),
    ])
    func refusals(problem: String, code: ErrorCode) async {
        var signer = Self.hmac256
        var extra: [(String, String)] = []
        var timestamp = Self.timestamp
        switch problem {
        case "no nonce": extra = [("oauth_nonce", "")]
        case "version 2.0": extra = [("oauth_version", "2.0")]
        case "token": extra = [("oauth_token", "nnch734d00sl2jdk")]
        case "no consumer key": signer.consumerKey = ""
        case "timestamp text": extra = [("oauth_timestamp", "yesterday")]
        case "PLAINTEXT", "RSA-SHA512": signer.method = problem
        case "old": timestamp -= 301
        case "future": timestamp += 301
        case "unknown key": signer.consumerKey = "LGSPUNKNOWNKEY000000"
        case "wrong secret": signer.key = .secret("not-the-secret")
        case "RSA without key": signer = OAuthTestSigner(consumerKey: R.accessKey, method: "RSA-SHA256", key: .rsa(MessageSignatureTestSigner.rsaKey))
        default: break
        }
        var request = signer.sign(M.get(), timestamp: timestamp, nonce: "n-\(problem)", extra: extra)
        if problem == "changed query" { request.rawQuery = "limit=11" }
        let error = await Self.refusal(request)
        #expect(error?.code == code, "\(problem): \(error?.message ?? "accepted")")
        if code == .clockSkew { #expect(error?.details["serverTime"] == AmzDate.format(R.now)) }
    }

    @Test("with debugSignatures a mismatch returns the base string the hub computed, never the secret")
    func debugBase() async throws {
        var app = M.app
        app.auth.debugSignatures = true
        let wrong = OAuthTestSigner(consumerKey: R.accessKey, method: "HMAC-SHA256", key: .secret("not-the-secret"))
        let error = await Self.refusal(wrong.sign(M.get(), timestamp: Self.timestamp, nonce: "n-debug"), app: app)
        let base = try #require(error?.details["signatureBase"])
        #expect(base.hasPrefix("GET&https%3A%2F%2F\(R.host)%2Fv1%2Finbox&limit%3D10%26oauth_consumer_key%3D\(R.accessKey)%26oauth_nonce%3Dn-debug"))
        #expect(!base.contains(R.secret))
    }
}
