import Foundation
import LGSPAuth
import LGSPCore
import Testing

/// Presigned URLs (`X-Amz-*` query parameters), as used for content downloads.
@Suite("SigV4Verifier, presigned URLs")
struct SigV4VerifierPresignedTests {
    typealias R = HubRequests
    static let path = "/v1/packets/0190f1b2-7c3d-7a4e-8f00-0123456789ab/content"

    /// A GET of the content presigned at `R.now` for `expires` seconds, as the client would send it.
    static func presigned(expires: Int = 900, date: Date = R.now, query: String? = nil) -> SignableRequest {
        let base = SignableRequest(method: "GET", rawPath: path, rawQuery: query, headers: [("host", R.host)])
        let signedQuery = R.signer.presignedQuery(base, host: R.host, date: date, expires: expires)
        return SignableRequest(method: "GET", rawPath: path, rawQuery: signedQuery, headers: [("host", R.host)])
    }

    static func verify(_ request: SignableRequest, at now: Date) throws -> Int {
        let claim = try R.verifier.parse(request, now: now)
        return try R.verifier.verify(
            claim, request: request, secrets: [R.secret], payloadHashes: [try #require(claim.declaredPayloadHash)])
    }

    static func parseError(_ request: SignableRequest, at now: Date = R.now) -> LGSPError? {
        #expect(throws: LGSPError.self) { try R.verifier.parse(request, now: now) }
    }

    @Test(
        "a presigned URL verifies from its date until its expiry, with UNSIGNED-PAYLOAD", arguments: [0.0, 1, 450, 900])
    func valid_verifies(elapsed: Double) throws {
        let request = Self.presigned()
        let claim = try R.verifier.parse(request, now: R.now.addingTimeInterval(elapsed))
        #expect(claim.presigned)
        #expect(claim.declaredPayloadHash == "UNSIGNED-PAYLOAD")
        #expect(claim.signedHeaders == ["host"])
        #expect(claim.accessKey == R.accessKey)
        #expect(try Self.verify(request, at: R.now.addingTimeInterval(elapsed)) == 0)
    }

    @Test("a presigned URL that keeps the request's own query parameters verifies")
    func withOwnQuery_verifies() throws {
        #expect(try Self.verify(Self.presigned(query: "part=1&download=true"), at: R.now) == 0)
    }

    @Test(
        "a presigned URL used after date + expires is auth.presigned_url_expired with the hub's time",
        arguments: [901.0, 86400])
    func expired_isPresignedURLExpired(elapsed: Double) {
        let now = R.now.addingTimeInterval(elapsed)
        let error = Self.parseError(Self.presigned(), at: now)
        #expect(error?.code == .presignedURLExpired)
        #expect(error?.details["serverTime"] == AmzDate.format(now))
        #expect(error?.message.contains("20261129T084500Z") == true)
    }

    @Test("a presigned URL dated more than 300 s in the future is auth.clock_skew; up to 300 s is accepted")
    func futureDated_isClockSkew() throws {
        let error = Self.parseError(Self.presigned(date: R.now.addingTimeInterval(301)))
        #expect(error?.code == .clockSkew)
        #expect(error?.details["serverTime"] == "20261129T083000Z")
        #expect(try Self.verify(Self.presigned(date: R.now.addingTimeInterval(300)), at: R.now) == 0)
    }

    @Test("a presigned URL whose path, query or signature was changed is auth.signature_mismatch")
    func tampered_isSignatureMismatch() throws {
        var path = Self.presigned()
        path.rawPath = "/v1/packets/0190f1b2-7c3d-7a4e-8f00-0123456789ac/content"
        var added = Self.presigned()
        added.rawQuery = (added.rawQuery ?? "") + "&part=2"
        var signature = Self.presigned()
        signature.rawQuery = signature.rawQuery.map { String($0.dropLast()) + ($0.hasSuffix("0") ? "1" : "0") }
        var method = Self.presigned()
        method.method = "DELETE"
        for request in [path, added, signature, method] {
            let claim = try R.verifier.parse(request, now: R.now)
            let error = #expect(throws: LGSPError.self) {
                try R.verifier.verify(claim, request: request, secrets: [R.secret], payloadHashes: ["UNSIGNED-PAYLOAD"])
            }
            #expect(error?.code == .signatureMismatch)
        }
    }

    @Test("X-Amz-Expires outside 1...604800 seconds is auth.malformed_authorization", arguments: [0, -1, 604_801])
    func expiresOutOfRange_isMalformed(expires: Int) {
        let error = Self.parseError(Self.presigned(expires: expires))
        #expect(error?.code == .malformedAuthorization)
        #expect(error?.message.contains("X-Amz-Expires") == true)
    }

    @Test("the longest allowed X-Amz-Expires (7 days) is accepted")
    func longestExpiry_isAccepted() throws {
        #expect(try Self.verify(Self.presigned(expires: 604_800), at: R.now.addingTimeInterval(604_800)) == 0)
    }

    @Test(
        "a non-numeric X-Amz-Expires or a missing X-Amz-* parameter is auth.malformed_authorization",
        arguments: ["X-Amz-Expires=900", "X-Amz-Credential=", "X-Amz-Date=", "X-Amz-SignedHeaders="])
    func missingParameter_isMalformed(parameter: String) throws {
        var request = Self.presigned()
        let name = String(parameter.prefix { $0 != "=" })
        let items = (request.rawQuery ?? "").split(separator: "&").filter { !$0.hasPrefix(name + "=") }
        let replacement = name == "X-Amz-Expires" ? ["X-Amz-Expires=soon"] : []
        request.rawQuery = (items.map(String.init) + replacement).joined(separator: "&")
        #expect(Self.parseError(request)?.code == .malformedAuthorization)
    }

    @Test("X-Amz-Algorithm other than AWS4-HMAC-SHA256 is auth.unsupported_algorithm")
    func otherAlgorithm_isUnsupported() {
        var request = Self.presigned()
        request.rawQuery = request.rawQuery?.replacingOccurrences(
            of: "X-Amz-Algorithm=AWS4-HMAC-SHA256", with: "X-Amz-Algorithm=AWS4-HMAC-SHA1")
        #expect(Self.parseError(request)?.code == .unsupportedAlgorithm)
    }

    @Test("a presigned URL for another region is auth.credential_scope_mismatch")
    func otherRegion_isScopeMismatch() {
        var request = Self.presigned()
        request.rawQuery = request.rawQuery?.replacingOccurrences(of: "%2Fvn%2F", with: "%2Fus-east-1%2F")
        #expect(Self.parseError(request)?.code == .credentialScopeMismatch)
    }
}
