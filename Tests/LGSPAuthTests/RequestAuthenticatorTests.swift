import Foundation
import LGSPAuth
import LGSPCore
import Testing

/// The authenticator's policy: which payload hashes a route accepts, and which apps and secrets may sign.
@Suite("RequestAuthenticator")
struct RequestAuthenticatorTests {
    typealias R = HubRequests
    static let unit = UnitCode(level1: "H23", level2: 5)
    static let app = App(
        id: "app-1", unit: unit, name: "Một cửa", accessKey: R.accessKey,
        createdAt: R.now.addingTimeInterval(-86400))
    static let content = Data("nội dung gói tin".utf8)
    static let contentHash = SigV4Canonical.payloadHash(content)
    static let bodyHash = SigV4Canonical.payloadHash(R.jsonBody)

    static func secret(_ value: String, id: String, expiresAt: Date? = nil, revokedAt: Date? = nil) -> AppSecret {
        AppSecret(
            id: id, appID: app.id, secret: value, createdAt: R.now.addingTimeInterval(-3600), expiresAt: expiresAt,
            revokedAt: revokedAt)
    }

    static func authenticator(app: App = app, secrets: [AppSecret]? = nil) -> RequestAuthenticator {
        let store = InMemoryDirectoryStore(apps: [app], secrets: secrets ?? [secret(R.secret, id: "s1")])
        return RequestAuthenticator(
            schemes: [SigV4Scheme(verifier: R.verifier)], directory: store, nonces: InMemoryNonceStore(), clock: FixedClock(instant: R.now))
    }

    /// A JSON POST whose x-amz-content-sha256 declares `declared` (signed), or carries no such header when nil.
    static func post(declaring declared: String?) -> SignableRequest {
        var request = SignableRequest(
            method: "POST", target: "/v1/packets", headers: [("host", R.host), ("content-type", "application/json")])
        request.headers += R.signer.sign(
            request, payloadHash: declared ?? bodyHash, date: R.now, sendPayloadHash: declared != nil)
        return request
    }

    /// A content upload whose signed x-amz-content-sha256 declares `declared`.
    static func upload(declaring declared: String) -> SignableRequest {
        var request = SignableRequest(
            method: "PUT", target: "/v1/packets/0190f1b2-7c3d-7a4e-8f00-0123456789ab/upload",
            headers: [("host", R.host), ("content-type", "application/octet-stream")])
        request.headers += R.signer.sign(request, payloadHash: declared, date: R.now)
        return request
    }

    static func failure(_ authenticator: RequestAuthenticator, _ request: SignableRequest, _ payload: PayloadPolicy)
        async -> LGSPError?
    {
        await #expect(throws: LGSPError.self) { try await authenticator.authenticate(request, payload: payload) }
    }

    @Test(".body accepts a signature over the body's SHA-256, declared or not, and returns the app")
    func body_acceptsBodyHash() async throws {
        for request in [
            Self.post(declaring: Self.bodyHash), Self.post(declaring: nil),
            Self.post(declaring: Self.bodyHash.uppercased()),
        ] {
            let caller = try await Self.authenticator().authenticate(request, payload: .body(sha256: Self.bodyHash))
            #expect(caller.app == Self.app)
        }
    }

    @Test(".body refuses UNSIGNED-PAYLOAD with auth.payload_hash_mismatch")
    func body_refusesUnsignedPayload() async {
        let error = await Self.failure(
            Self.authenticator(), Self.post(declaring: "UNSIGNED-PAYLOAD"), .body(sha256: Self.bodyHash))
        #expect(error?.code == .payloadHashMismatch)
    }

    @Test(".body refuses a declared hash that is not the body's with auth.payload_hash_mismatch")
    func body_refusesOtherDeclaredHash() async {
        let error = await Self.failure(
            Self.authenticator(), Self.post(declaring: Self.contentHash), .body(sha256: Self.bodyHash))
        #expect(error?.code == .payloadHashMismatch)
        #expect(error?.message.contains(Self.bodyHash) == true)
    }

    @Test(".body without a declared hash but a signature over another body is auth.signature_mismatch")
    func body_undeclaredOtherBody_isSignatureMismatch() async {
        let error = await Self.failure(Self.authenticator(), Self.post(declaring: nil), .body(sha256: Self.contentHash))
        #expect(error?.code == .signatureMismatch)
    }

    @Test(
        ".stream accepts UNSIGNED-PAYLOAD and the declared content digest (either case)",
        arguments: [
            "UNSIGNED-PAYLOAD", contentHash, contentHash.uppercased(),
        ])
    func stream_acceptsUnsignedAndDigest(declared: String) async throws {
        let caller = try await Self.authenticator().authenticate(
            Self.upload(declaring: declared),
            payload: .stream(acceptedHashes: [Self.contentHash, SigV4Canonical.emptyPayloadHash]))
        #expect(caller.app.id == Self.app.id)
    }

    @Test(".stream refuses any other declared hash with auth.payload_hash_mismatch")
    func stream_refusesOtherHash() async {
        let error = await Self.failure(
            Self.authenticator(), Self.upload(declaring: Self.bodyHash), .stream(acceptedHashes: [Self.contentHash]))
        #expect(error?.code == .payloadHashMismatch)
    }

    @Test(".stream accepts a presigned download")
    func stream_acceptsPresignedURL() async throws {
        let path = "/v1/packets/0190f1b2-7c3d-7a4e-8f00-0123456789ab/content"
        let base = SignableRequest(method: "GET", rawPath: path, rawQuery: nil, headers: [("host", R.host)])
        let query = R.signer.presignedQuery(base, host: R.host, date: R.now, expires: 600)
        let request = SignableRequest(method: "GET", rawPath: path, rawQuery: query, headers: [("host", R.host)])
        let caller = try await Self.authenticator().authenticate(
            request, payload: .stream(acceptedHashes: [Self.contentHash]))
        #expect(caller.app.id == Self.app.id)
    }

    @Test("an access key no app holds is auth.unknown_access_key")
    func unknownAccessKey_isRefused() async {
        let stranger = SigV4Signer(accessKey: "LGSPAAAAAAAAAAAAAAAA", secretKey: R.secret)
        let request = R.signed("GET", "/v1/inbox", signer: stranger)
        let error = await Self.failure(Self.authenticator(), request, .body(sha256: SigV4Canonical.emptyPayloadHash))
        #expect(error?.code == .unknownAccessKey)
        #expect(error?.message.contains("LGSPAAAAAAAAAAAAAAAA") == true)
    }

    @Test("a disabled app is auth.app_disabled even with a valid signature")
    func disabledApp_isRefused() async {
        var disabled = Self.app
        disabled.status = .disabled
        let error = await Self.failure(
            Self.authenticator(app: disabled), R.signed("GET", "/v1/inbox"),
            .body(sha256: SigV4Canonical.emptyPayloadHash))
        #expect(error?.code == .appDisabled)
    }

    @Test(
        "an app whose only secret expired or was revoked is auth.app_disabled",
        arguments: [
            secret(R.secret, id: "old", expiresAt: R.now),
            secret(R.secret, id: "old", expiresAt: R.now.addingTimeInterval(-1)),
            secret(R.secret, id: "old", revokedAt: R.now.addingTimeInterval(-60)),
        ])
    func noUsableSecret_isAppDisabled(secret: AppSecret) async {
        let error = await Self.failure(
            Self.authenticator(secrets: [secret]), R.signed("GET", "/v1/inbox"),
            .body(sha256: SigV4Canonical.emptyPayloadHash))
        #expect(error?.code == .appDisabled)
    }

    @Test(
        "after a rotation the expired old secret no longer signs, the new one does, and an unexpired old one still does"
    )
    func expiredSecret_isNotUsable() async throws {
        let empty = PayloadPolicy.body(sha256: SigV4Canonical.emptyPayloadHash)
        let oldSigner = SigV4Signer(accessKey: R.accessKey, secretKey: R.otherSecret)
        let retired = Self.authenticator(secrets: [
            Self.secret(R.secret, id: "new"),
            Self.secret(R.otherSecret, id: "old", expiresAt: R.now.addingTimeInterval(-1)),
        ])
        let error = await Self.failure(retired, R.signed("GET", "/v1/inbox", signer: oldSigner), empty)
        #expect(error?.code == .signatureMismatch)
        _ = try await retired.authenticate(R.signed("GET", "/v1/inbox"), payload: empty)

        let grace = Self.authenticator(secrets: [
            Self.secret(R.secret, id: "new"),
            Self.secret(R.otherSecret, id: "old", expiresAt: R.now.addingTimeInterval(60)),
        ])
        _ = try await grace.authenticate(R.signed("GET", "/v1/inbox", signer: oldSigner), payload: empty)
    }

    @Test("checks that need no secret come first: clock skew is reported before the access key is looked up")
    func clockSkew_beforeLookup() async {
        let stranger = SigV4Signer(accessKey: "LGSPAAAAAAAAAAAAAAAA", secretKey: R.secret)
        let request = R.signed("GET", "/v1/inbox", date: R.now.addingTimeInterval(-600), signer: stranger)
        let error = await Self.failure(Self.authenticator(), request, .body(sha256: SigV4Canonical.emptyPayloadHash))
        #expect(error?.code == .clockSkew)
    }
}
