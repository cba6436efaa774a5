import Foundation
import LGSPAuth
import LGSPCore
import Testing

/// Header-form signatures: `parse` (no secret needed) and `verify` (with the app's secrets).
@Suite("SigV4Verifier, Authorization header")
struct SigV4VerifierTests {
    typealias R = HubRequests
    static let bodyHash = SigV4Canonical.payloadHash(R.jsonBody)
    static let credential = "Credential=\(R.accessKey)/20261129/vn/lgsp/aws4_request"
    static let signed = "SignedHeaders=host;x-amz-date"
    /// 64 lowercase hex characters: well formed, but no real signature.
    static let signature = "Signature=" + String(repeating: "ab", count: 32)

    /// An `AWS4-HMAC-SHA256` Authorization header made of the given parts.
    static func header(_ parts: String...) -> String {
        "AWS4-HMAC-SHA256 " + parts.joined(separator: ", ")
    }

    static func post(date: Date = R.now, signer: SigV4Signer = R.signer, sendPayloadHash: Bool = true)
        -> SignableRequest
    {
        R.signed(
            "POST", "/v1/packets?dryRun=false", body: R.jsonBody, headers: [("Content-Type", "application/json")],
            date: date, signer: signer, sendPayloadHash: sendPayloadHash)
    }

    /// A request with a hand-written Authorization header.
    static func manual(_ authorization: String, headers: [(name: String, value: String)]? = nil) -> SignableRequest {
        SignableRequest(
            method: "GET", target: "/v1/inbox",
            headers: (headers ?? [("host", R.host), ("x-amz-date", "20261129T083000Z")]) + [
                ("authorization", authorization)
            ])
    }

    static func parseError(_ request: SignableRequest, now: Date = R.now) -> LGSPError? {
        #expect(throws: LGSPError.self) { try R.verifier.parse(request, now: now) }
    }

    @Test("a request signed by SigV4Signer verifies and names its access key, scope and signed headers")
    func signedRequest_roundTrips() throws {
        let request = Self.post()
        let claim = try R.verifier.parse(request, now: R.now)
        #expect(claim.accessKey == R.accessKey)
        #expect(claim.amzDate == "20261129T083000Z")
        #expect(claim.scope == "20261129/vn/lgsp/aws4_request")
        #expect(claim.signedHeaders == ["content-type", "host", "x-amz-content-sha256", "x-amz-date"])
        #expect(claim.declaredPayloadHash == Self.bodyHash)
        #expect(!claim.presigned)
        #expect(
            try R.verifier.verify(claim, request: request, secrets: [R.secret], payloadHashes: [Self.bodyHash]) == 0)
    }

    @Test("the second of two secrets (rotation grace period) verifies and its index is returned")
    func secondSecret_returnsIndexOne() throws {
        let request = Self.post()
        let claim = try R.verifier.parse(request, now: R.now)
        #expect(
            try R.verifier.verify(
                claim, request: request, secrets: [R.otherSecret, R.secret], payloadHashes: [Self.bodyHash]) == 1)
        #expect(
            try R.verifier.verify(
                claim, request: request, secrets: [R.secret, R.otherSecret], payloadHashes: [Self.bodyHash]) == 0)
    }

    @Test("an unsigned request is refused with auth.missing_signature")
    func unsigned_isMissingSignature() {
        let request = SignableRequest(method: "GET", target: "/v1/inbox?limit=5", headers: [("host", R.host)])
        #expect(Self.parseError(request)?.code == .missingSignature)
    }

    @Test(
        "another scheme is refused with auth.unsupported_algorithm",
        arguments: [
            "Basic dXNlcjpwYXNz", "Bearer eyJhbGciOi", "AWS4-ECDSA-P256-SHA256 Credential=x", "AWS AKID:signature",
        ])
    func otherScheme_isUnsupported(authorization: String) {
        let error = Self.parseError(Self.manual(authorization))
        #expect(error?.code == .unsupportedAlgorithm)
        #expect(error?.details["supported"] == "AWS4-HMAC-SHA256")
    }

    @Test(
        "a header lacking Credential, SignedHeaders or Signature, or with a malformed part, is auth.malformed_authorization",
        arguments: [
            header(signed, signature),
            header(credential, signature),
            header(credential, signed),
            header("Credential=\(R.accessKey)/20261129/vn/lgsp", signed, signature),
            header("Credential=/20261129/vn/lgsp/aws4_request", signed, signature),
            header(credential, signed, "Signature=abc"),
            header(credential, signed, signature.uppercased()),
            header(credential, "SignedHeaders=x-amz-date;host", signature),
            header(credential, "SignedHeaders=content-Type;host;x-amz-date", signature),
        ])
    func malformedHeader_isMalformedAuthorization(authorization: String) {
        #expect(Self.parseError(Self.manual(authorization))?.code == .malformedAuthorization)
    }

    @Test("an x-amz-date not of the form yyyyMMddTHHmmssZ is auth.malformed_authorization")
    func malformedDate_isMalformedAuthorization() {
        let request = Self.manual(
            Self.header(Self.credential, Self.signed, Self.signature),
            headers: [("host", R.host), ("x-amz-date", "2026-11-29T08:30:00Z")])
        #expect(Self.parseError(request)?.code == .malformedAuthorization)
    }

    @Test(
        "a credential scope for another region, service, day or terminator is auth.credential_scope_mismatch",
        arguments: [
            SigV4Signer(accessKey: R.accessKey, secretKey: R.secret, region: "us-east-1", service: "lgsp"),
            SigV4Signer(accessKey: R.accessKey, secretKey: R.secret, region: "vn", service: "s3"),
        ])
    func otherScope_isScopeMismatch(signer: SigV4Signer) {
        let error = Self.parseError(Self.post(signer: signer))
        #expect(error?.code == .credentialScopeMismatch)
        #expect(error?.details["expectedRegion"] == "vn")
        #expect(error?.details["expectedService"] == "lgsp")
    }

    @Test(
        "a scope dated another day, or not ending in aws4_request, is auth.credential_scope_mismatch",
        arguments: ["20261128/vn/lgsp/aws4_request", "20261129/vn/lgsp/aws4_reqest"])
    func otherScopeDate_isScopeMismatch(scope: String) {
        let request = Self.manual(
            Self.header("Credential=\(R.accessKey)/\(scope)", Self.signed, Self.signature))
        #expect(Self.parseError(request)?.code == .credentialScopeMismatch)
    }

    @Test(
        "x-amz-date or host left out of SignedHeaders, or a signed header not sent, is auth.missing_signed_header",
        arguments: ["host", "x-amz-date", "host;x-amz-date;x-lgsp-session"])
    func unsignedRequiredHeader_isMissingSignedHeader(signedHeaders: String) {
        let request = Self.manual(
            Self.header(Self.credential, "SignedHeaders=\(signedHeaders)", Self.signature))
        #expect(Self.parseError(request)?.code == .missingSignedHeader)
    }

    @Test("a request without any x-amz-date header is auth.missing_signed_header")
    func noDateHeader_isMissingSignedHeader() {
        let request = Self.manual(
            Self.header(Self.credential, Self.signed, Self.signature),
            headers: [("host", R.host)])
        #expect(Self.parseError(request)?.code == .missingSignedHeader)
    }

    @Test("x-amz-content-sha256 sent but not signed is auth.missing_signed_header")
    func unsignedContentHash_isMissingSignedHeader() {
        var request = Self.post(sendPayloadHash: false)
        request.headers.append(("x-amz-content-sha256", Self.bodyHash))
        let error = Self.parseError(request)
        #expect(error?.code == .missingSignedHeader)
        #expect(error?.message.contains("x-amz-content-sha256") == true)
    }

    @Test(
        "a request time more than 300 s from the hub's is auth.clock_skew with the hub's time",
        arguments: [-301.0, 301, -3600, 86400])
    func skew_beyondAllowance_isClockSkew(offset: Double) {
        let error = Self.parseError(Self.post(date: R.now.addingTimeInterval(offset)))
        #expect(error?.code == .clockSkew)
        #expect(error?.details["serverTime"] == "20261129T083000Z")
    }

    @Test("a request time up to 300 s from the hub's is accepted", arguments: [-300.0, -1, 1, 300])
    func skew_withinAllowance_isAccepted(offset: Double) throws {
        let request = Self.post(date: R.now.addingTimeInterval(offset))
        let claim = try R.verifier.parse(request, now: R.now)
        #expect(
            try R.verifier.verify(claim, request: request, secrets: [R.secret], payloadHashes: [Self.bodyHash]) == 0)
    }
}
