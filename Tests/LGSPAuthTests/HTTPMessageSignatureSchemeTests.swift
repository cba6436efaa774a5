import Foundation
import LGSPAuth
import LGSPCore
import Testing

/// RFC 9421 requests through the authenticator: what the hub requires of a signature, and the
/// code of every refusal.
@Suite("HTTP Message Signatures scheme")
struct HTTPMessageSignatureSchemeTests {
    typealias R = HubRequests
    static let created = Int64(R.now.timeIntervalSince1970)
    static let hmac = MessageSignatureTestSigner(keyID: R.accessKey, key: .hmac(R.secret), alg: "hmac-sha256")
    static let rsaApp = App(
        id: "app-rsa", unit: UnitCode(level1: "H23", level2: 6), name: "Hệ thống RSA", accessKey: "LGSPRSAAPPKEY0000001",
        auth: AuthPolicy(rsaPublicKeyPEM: MessageSignatureTestSigner.rsaKey.publicKey.pemRepresentation), createdAt: R.now)
    static let app = App(
        id: "app-1", unit: UnitCode(level1: "H23", level2: 5), name: "Một cửa", accessKey: R.accessKey, createdAt: R.now)

    static func authenticator(app: App = app, secrets: [String] = [R.secret]) -> RequestAuthenticator {
        let stored = secrets.enumerated().map { index, secret in
            AppSecret(id: "s\(index)", appID: app.id, secret: secret, createdAt: R.now.addingTimeInterval(TimeInterval(-3600 * (index + 1))))
        }
        return RequestAuthenticator(
            schemes: [SigV4Scheme(verifier: R.verifier), HTTPMessageSignatureScheme(), OAuth1Scheme()],
            directory: InMemoryDirectoryStore(apps: [app, rsaApp], secrets: stored), nonces: InMemoryNonceStore(),
            // InMemoryNonceStore expires nonces by the wall clock; the window reaches past it from the fixed instant.
            clock: FixedClock(instant: R.now), nonceWindow: 365 * 86400)
    }

    static func get(_ target: String = "/v1/inbox?limit=10") -> SignableRequest {
        SignableRequest(method: "GET", target: target, headers: [("host", R.host)])
    }

    static let empty = PayloadPolicy.body(sha256: SigV4Canonical.emptyPayloadHash, bytes: Data())
    static let jsonPayload = PayloadPolicy.body(sha256: SigV4Canonical.payloadHash(R.jsonBody), bytes: R.jsonBody)
    static let post = SignableRequest(method: "POST", target: "/v1/packets", headers: [("host", R.host), ("content-type", "application/json")])

    static func refusal(
        _ request: SignableRequest, _ payload: PayloadPolicy = empty, app: App = app
    ) async -> LGSPError? {
        await #expect(throws: LGSPError.self) { try await Self.authenticator(app: app).authenticate(request, payload: payload) }
    }

    @Test("hmac-sha256 over @method @authority @target-uri, signed for http or https, authenticates the app")
    func hmacGet() async throws {
        for scheme in ["http", "https"] {
            let request = Self.hmac.sign(Self.get(), created: Self.created, scheme: scheme)
            #expect(try await Self.authenticator().authenticate(request, payload: Self.empty).app == Self.app)
        }
    }

    @Test("a body covered by content-digest authenticates; the same signature over a changed body is auth.payload_hash_mismatch")
    func bodyDigest() async throws {
        let components = ["@method", "@authority", "@path", "content-type", "content-digest"]
        let request = Self.hmac.sign(Self.post, components: components, created: Self.created, digest: MessageSignatureTestSigner.digest(R.jsonBody))
        _ = try await Self.authenticator().authenticate(request, payload: Self.jsonPayload)
        let changed = Data(#"{"to":["000.00.05.H24"],"subject":"Công văn SỬA","dataType":"edoc"}"#.utf8)
        let error = await Self.refusal(request, .body(sha256: SigV4Canonical.payloadHash(changed), bytes: changed))
        #expect(error?.code == .payloadHashMismatch)
    }

    @Test("a body without content-digest in the signature is auth.missing_signed_header")
    func bodyWithoutDigest() async {
        let request = Self.hmac.sign(Self.post, created: Self.created)
        let error = await Self.refusal(request, Self.jsonPayload)
        #expect(error?.code == .missingSignedHeader)
        #expect(error?.message.contains("content-digest") == true)
    }

    @Test("content streams may leave content-digest out")
    func streamWithoutDigest() async throws {
        let request = Self.hmac.sign(
            SignableRequest(method: "PUT", target: "/v1/packets/0190f1b2-7c3d-7a4e-8f00-0123456789ab/upload", headers: [("host", R.host)]),
            created: Self.created)
        _ = try await Self.authenticator().authenticate(request, payload: .stream(acceptedHashes: [SigV4Canonical.emptyPayloadHash]))
    }

    @Test("@path needs @query when there is a query string; with both the request authenticates")
    func pathAndQuery() async throws {
        let without = Self.hmac.sign(Self.get(), components: ["@method", "@authority", "@path"], created: Self.created)
        #expect(await Self.refusal(without)?.code == .missingSignedHeader)
        let with = Self.hmac.sign(Self.get(), components: ["@method", "@authority", "@path", "@query"], created: Self.created)
        _ = try await Self.authenticator().authenticate(with, payload: Self.empty)
        let noQuery = Self.hmac.sign(Self.get("/v1/inbox"), components: ["@method", "@authority", "@path"], created: Self.created)
        _ = try await Self.authenticator().authenticate(noQuery, payload: Self.empty)
    }

    @Test("rsa-v1_5-sha256 and rsa-pss-sha512 verify with the app's registered public key")
    func rsa() async throws {
        for (alg, pss) in [("rsa-v1_5-sha256", false), ("rsa-pss-sha512", true)] {
            let signer = MessageSignatureTestSigner(keyID: Self.rsaApp.accessKey, key: .rsa(MessageSignatureTestSigner.rsaKey, pss: pss), alg: alg)
            let request = signer.sign(Self.get(), created: Self.created)
            #expect(try await Self.authenticator().authenticate(request, payload: Self.empty).app == Self.rsaApp)
        }
    }

    @Test("a PSS signature made with another key is auth.signature_mismatch explaining the salt length")
    func rsaWrongKey() async throws {
        let other = try _RSAKeyForTests.make()
        let signer = MessageSignatureTestSigner(keyID: Self.rsaApp.accessKey, key: .rsa(other, pss: true), alg: "rsa-pss-sha512")
        let error = await Self.refusal(signer.sign(Self.get(), created: Self.created))
        #expect(error?.code == .signatureMismatch)
        #expect(error?.message.contains("salt") == true)
    }

    @Test("during a key rotation either secret verifies")
    func rotation() async throws {
        let signer = MessageSignatureTestSigner(keyID: R.accessKey, key: .hmac(R.otherSecret), alg: "hmac-sha256")
        let request = signer.sign(Self.get(), created: Self.created)
        _ = try await Self.authenticator(secrets: [R.secret, R.otherSecret]).authenticate(request, payload: Self.empty)
    }

    @Test("a nonce is returned to the authenticator, which refuses it the second time with auth.replayed_nonce")
    func replay() async throws {
        let authenticator = Self.authenticator()
        let request = Self.hmac.sign(Self.get(), created: Self.created, nonce: "n-0001")
        _ = try await authenticator.authenticate(request, payload: Self.empty)
        let error = await #expect(throws: LGSPError.self) { try await authenticator.authenticate(request, payload: Self.empty) }
        #expect(error?.code == .replayedNonce)
    }

    @Test("created too old or in the future, and a past expires, are auth.clock_skew with the hub's time", arguments: [
        (Int64(-301), Int64?.none), (Int64(301), nil), (Int64(-100), Int64(-10)),
    ])
    func freshness(offset: Int64, expires: Int64?) async {
        let request = Self.hmac.sign(Self.get(), created: Self.created + offset, expires: expires.map { Self.created + $0 })
        let error = await Self.refusal(request)
        #expect(error?.code == .clockSkew)
        #expect(error?.details["serverTime"] == AmzDate.format(R.now))
    }

    @Test("parameters, algorithms and coverage the hub refuses, each with its code", arguments: [
        ("no alg", ErrorCode.malformedAuthorization), ("no keyid", .malformedAuthorization), ("no created", .malformedAuthorization),
        ("hmac-sha1", .unsupportedAlgorithm), ("ed25519", .unsupportedAlgorithm), ("no @authority", .missingSignedHeader),
        ("no @method", .missingSignedHeader), ("no path", .missingSignedHeader), ("absent header", .missingSignedHeader),
        ("signature without input", .malformedAuthorization), ("unknown key", .unknownAccessKey),
    ])
    func refusals(problem: String, code: ErrorCode) async {
        var signer = Self.hmac
        var components = ["@method", "@authority", "@target-uri"]
        var request = Self.get()
        switch problem {
        case "no alg": signer.alg = nil
        case "no keyid": signer.keyID = ""
        case "hmac-sha1", "ed25519": signer.alg = problem
        case "no @authority": components = ["@method", "@target-uri"]
        case "no @method": components = ["@authority", "@target-uri"]
        case "no path": components = ["@method", "@authority"]
        case "absent header": components.append("x-lgsp-trace")
        case "unknown key": signer.keyID = "LGSPUNKNOWNKEY000000"
        default: break
        }
        if problem == "no created" {
            request.headers += [("signature-input", #"sig1=("@method" "@authority" "@target-uri");keyid="K";alg="hmac-sha256""#), ("signature", "sig1=:AA==:")]
        } else if problem == "signature without input" {
            request.headers.append(("signature", "sig1=:AA==:"))
        } else {
            request = signer.sign(request, components: components, created: Self.created)
        }
        let error = await Self.refusal(request)
        #expect(error?.code == code, "\(problem): \(error?.message ?? "accepted")")
    }

    @Test("a wrong secret or a changed path is auth.signature_mismatch; with debugSignatures the answer shows the base")
    func mismatch() async throws {
        let wrong = MessageSignatureTestSigner(keyID: R.accessKey, key: .hmac("not-the-secret"), alg: "hmac-sha256")
        let plain = await Self.refusal(wrong.sign(Self.get(), created: Self.created))
        #expect(plain?.code == .signatureMismatch)
        #expect(plain?.details["signatureBase"] == nil)

        var debugApp = Self.app
        debugApp.auth.debugSignatures = true
        var moved = Self.hmac.sign(Self.get(), created: Self.created)
        moved.rawPath = "/v1/packets"
        let debug = await Self.refusal(moved, app: debugApp)
        #expect(debug?.code == .signatureMismatch)
        let base = try #require(debug?.details["signatureBase"])
        #expect(base.hasPrefix("\"@method\": GET\n\"@authority\": \(R.host)\n\"@target-uri\": https://\(R.host)/v1/packets?limit=10\n"))
        #expect(!base.contains(R.secret))
    }

    @Test("RSA from an app without a public key, or RFC 9421 from an app limited to SigV4, is auth.scheme_not_allowed")
    func policy() async {
        let signer = MessageSignatureTestSigner(keyID: R.accessKey, key: .rsa(MessageSignatureTestSigner.rsaKey, pss: false), alg: "rsa-v1_5-sha256")
        #expect(await Self.refusal(signer.sign(Self.get(), created: Self.created))?.code == .schemeNotAllowed)
        var sigV4Only = Self.app
        sigV4Only.auth.schemes = [.awsSigV4]
        #expect(await Self.refusal(Self.hmac.sign(Self.get(), created: Self.created), app: sigV4Only)?.code == .schemeNotAllowed)
    }
}
