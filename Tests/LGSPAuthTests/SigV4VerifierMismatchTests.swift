import Foundation
import LGSPAuth
import LGSPCore
import Testing

/// `verify`: anything changed after signing, or the wrong secret, is `auth.signature_mismatch`.
@Suite("SigV4Verifier, signature mismatch")
struct SigV4VerifierMismatchTests {
    typealias R = HubRequests
    static let bodyHash = SigV4Canonical.payloadHash(R.jsonBody)

    static func signed() -> SignableRequest {
        R.signed("POST", "/v1/packets?limit=5", body: R.jsonBody, headers: [("Content-Type", "application/json")])
    }

    static func mismatch(
        _ request: SignableRequest, secrets: [String] = [R.secret], hashes: [String] = [bodyHash], debug: Bool = false
    ) throws -> LGSPError? {
        let claim = try R.verifier.parse(request, now: R.now)
        return #expect(throws: LGSPError.self) {
            try R.verifier.verify(claim, request: request, secrets: secrets, payloadHashes: hashes, debug: debug)
        }
    }

    @Test("a tampered path, method, query or signed header is auth.signature_mismatch")
    func tampering_isSignatureMismatch() throws {
        var path = Self.signed()
        path.rawPath = "/v1/packetz"
        var query = Self.signed()
        query.rawQuery = "limit=6"
        var extraQuery = Self.signed()
        extraQuery.rawQuery = "limit=5&role=sent"
        var method = Self.signed()
        method.method = "PUT"
        let header = R.replacing("Content-Type", with: "application/xml", in: Self.signed())
        for request in [path, query, extraQuery, method, header] {
            #expect(
                try Self.mismatch(request)?.code == .signatureMismatch,
                "\(request.method) \(request.rawPath)?\(request.rawQuery ?? "")")
        }
    }

    @Test("a body other than the one signed (another payload hash) is auth.signature_mismatch")
    func otherBody_isSignatureMismatch() throws {
        let otherHash = SigV4Canonical.payloadHash(Data("{}".utf8))
        #expect(try Self.mismatch(Self.signed(), hashes: [otherHash])?.code == .signatureMismatch)
    }

    @Test("a tampered x-amz-content-sha256 is auth.signature_mismatch even when it matches the new body")
    func tamperedDeclaredHash_isSignatureMismatch() throws {
        let otherHash = SigV4Canonical.payloadHash(Data("{}".utf8))
        let request = R.replacing("x-amz-content-sha256", with: otherHash, in: Self.signed())
        #expect(try Self.mismatch(request, hashes: [otherHash])?.code == .signatureMismatch)
    }

    @Test("a tampered signature or the wrong secret is auth.signature_mismatch")
    func wrongSecretOrSignature_isSignatureMismatch() throws {
        #expect(try Self.mismatch(Self.signed(), secrets: [R.otherSecret])?.code == .signatureMismatch)
        #expect(try Self.mismatch(Self.signed(), secrets: [])?.code == .signatureMismatch)
        let request = Self.signed()
        let authorization = try #require(request.value("authorization"))
        let flipped = String(authorization.dropLast()) + (authorization.hasSuffix("0") ? "1" : "0")
        #expect(try Self.mismatch(R.replacing("authorization", with: flipped, in: request))?.code == .signatureMismatch)
    }

    @Test(
        "with debug a mismatch carries the hub's canonical request and string to sign; without, nothing"
    )
    func debug_returnsCanonicalRequest() throws {
        let request = Self.signed()
        let quiet = try Self.mismatch(request, secrets: [R.otherSecret])
        #expect(quiet?.details.isEmpty == true)

        let loud = try #require(try Self.mismatch(request, secrets: [R.otherSecret], debug: true))
        let expected = """
            POST
            /v1/packets
            limit=5
            content-type:application/json
            host:hub.example.vn
            x-amz-content-sha256:\(Self.bodyHash)
            x-amz-date:20261129T083000Z

            content-type;host;x-amz-content-sha256;x-amz-date
            \(Self.bodyHash)
            """
        #expect(loud.details["canonicalRequest"] == expected)
        let stringToSign = try #require(loud.details["stringToSign"])
        #expect(stringToSign.hasPrefix("AWS4-HMAC-SHA256\n20261129T083000Z\n20261129/vn/lgsp/aws4_request\n"))
        #expect(stringToSign.hasSuffix(SigV4Canonical.payloadHash(Data(expected.utf8))))
        #expect(!loud.message.contains(R.secret))
    }

    @Test("a path signed with single encoding (S3 style) is also accepted when it holds escapes")
    func singleEncodedPath_isAccepted() throws {
        // Sign by hand with the S3-style canonical URI, as some clients do.
        let rawPath = "/v1/units/000.00.05.H24/na%20me"
        let date = "20261129T083000Z"
        var request = SignableRequest(
            method: "GET", rawPath: rawPath, rawQuery: nil,
            headers: [
                ("host", R.host), ("x-amz-date", date), ("x-amz-content-sha256", SigV4Canonical.emptyPayloadHash),
            ])
        let signed = ["host", "x-amz-content-sha256", "x-amz-date"]
        let canonical = SigV4Canonical.canonicalRequest(
            method: "GET", uri: "/v1/units/000.00.05.H24/na%20me", query: "",
            headers: SigV4Canonical.canonicalHeaders(request, signed: signed).text, signedHeaders: signed,
            payloadHash: SigV4Canonical.emptyPayloadHash)
        let key = SigV4Canonical.signingKey(secret: R.secret, date: "20261129", region: "vn", service: "lgsp")
        let signature = SigV4Canonical.signature(
            stringToSign: SigV4Canonical.stringToSign(
                amzDate: date, scope: "20261129/vn/lgsp/aws4_request", canonicalRequest: canonical),
            key: key)
        request.headers.append(
            (
                "authorization",
                "AWS4-HMAC-SHA256 Credential=\(R.accessKey)/20261129/vn/lgsp/aws4_request, "
                    + "SignedHeaders=\(signed.joined(separator: ";")), Signature=\(signature)"
            ))
        let claim = try R.verifier.parse(request, now: R.now)
        #expect(
            try R.verifier.verify(
                claim, request: request, secrets: [R.secret], payloadHashes: [SigV4Canonical.emptyPayloadHash]) == 0)
    }
}
