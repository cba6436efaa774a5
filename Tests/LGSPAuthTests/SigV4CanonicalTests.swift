import Crypto
import Foundation
import LGSPAuth
import Testing

/// The canonical pieces of SigV4, computed step by step against AWS's published test suite.
@Suite("SigV4Canonical")
struct SigV4CanonicalTests {
    static let suite = Result { try AWSTestSuite.load() }

    @Test("the fixture holds the ten AWS vectors")
    func fixture_loads() throws {
        let suite = try Self.suite.get()
        #expect(suite.vectors.count == 10)
        #expect(Set(suite.vectors.map(\.name)).count == 10)
    }

    @Test(
        "each AWS vector's canonical parts, string to sign and signature match the published ones",
        arguments: try AWSTestSuite.load().vectors)
    func awsVector_matchesPublishedSignature(vector: AWSTestSuite.Vector) throws {
        let suite = try Self.suite.get()
        let request = vector.request
        let uri = SigV4Canonical.canonicalURI(rawPath: request.rawPath)
        #expect(uri == vector.canonicalURI)
        let query = SigV4Canonical.canonicalQuery(request.queryItems)
        #expect(query == vector.canonicalQuery)
        let headers = SigV4Canonical.canonicalHeaders(request, signed: vector.signedHeaders)
        #expect(headers.missing == nil)
        #expect(headers.text == vector.canonicalHeaders)
        #expect(SigV4Canonical.payloadHash(Data(vector.body.utf8)) == vector.payloadHash)

        let canonical = SigV4Canonical.canonicalRequest(
            method: vector.method, uri: uri, query: query, headers: headers.text, signedHeaders: vector.signedHeaders,
            payloadHash: vector.payloadHash)
        let expectedCanonical = [
            vector.method, vector.canonicalURI, vector.canonicalQuery, vector.canonicalHeaders,
            vector.signedHeaders.joined(separator: ";"), vector.payloadHash,
        ].joined(separator: "\n")
        #expect(canonical == expectedCanonical)

        let stringToSign = SigV4Canonical.stringToSign(
            amzDate: suite.amzDate, scope: suite.scope, canonicalRequest: canonical)
        #expect(
            stringToSign
                == "AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\n"
                + vector.canonicalRequestSHA256
        )

        let key = SigV4Canonical.signingKey(
            secret: suite.credentials.secretKey, date: "20150830", region: suite.region, service: suite.service)
        #expect(SigV4Canonical.signature(stringToSign: stringToSign, key: key) == vector.signature)
    }

    @Test("the signing key follows AWS's published derivation example (20120215/us-east-1/iam)")
    func signingKey_matchesAWSExample() {
        let key = SigV4Canonical.signingKey(
            secret: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", date: "20120215", region: "us-east-1", service: "iam")
        #expect(
            key.withUnsafeBytes { SigV4Canonical.hex($0) }
                == "f4780e2d9f65fa895f9c67b32ce1baf0b0d8a43505a000a1a9e090d414db404d")
    }

    @Test(
        "the canonical URI resolves dot segments, collapses slashes and double-encodes segments",
        arguments: [
            ("/", "/"), ("", "/"), ("//", "/"), ("/./", "/"), ("/example/..", "/"), ("/example1/example2/../..", "/"),
            ("/./example", "/example"), ("//example//", "/example/"), ("/v1/packets", "/v1/packets"),
            ("/v1/packets/", "/v1/packets/"), ("/a%20b", "/a%2520b"), ("/a%2Fb/c", "/a%252Fb/c"),
            ("/%E1%88%B4", "/%25E1%2588%25B4"), ("/000.00.05.H24", "/000.00.05.H24"),
        ])
    func canonicalURI_normalisesPath(raw: String, canonical: String) {
        #expect(SigV4Canonical.canonicalURI(rawPath: raw) == canonical)
    }

    @Test(
        "without double encoding the path segments are encoded exactly once",
        arguments: [("/a%20b", "/a%20b"), ("/a b", "/a%20b"), ("/a%2fb", "/a%2Fb"), ("/%E1%88%B4/x/", "/%E1%88%B4/x/")])
    func canonicalURI_singleEncoding(raw: String, canonical: String) {
        #expect(SigV4Canonical.canonicalURI(rawPath: raw, doubleEncode: false) == canonical)
    }

    @Test(
        "the canonical query sorts by encoded name then value, re-encodes, and leaves out X-Amz-Signature",
        arguments: [
            ("Param2=value2&Param1=value1", "Param1=value1&Param2=value2"),
            ("b=2&a=1&a=0", "a=0&a=1&b=2"),
            ("role=sent&limit=5", "limit=5&role=sent"),
            ("q=a%20b&flag", "flag=&q=a%20b"),
            ("q=a+b", "q=a%2Bb"),
            ("since=2026-11-29T08%3A30%3A00Z", "since=2026-11-29T08%3A30%3A00Z"),
            ("Z=1&a=1", "Z=1&a=1"),
            ("X-Amz-Signature=abc&X-Amz-Date=1", "X-Amz-Date=1"),
        ])
    func canonicalQuery_sortsAndEncodes(raw: String, canonical: String) {
        let request = SignableRequest(method: "GET", rawPath: "/", rawQuery: raw, headers: [])
        #expect(SigV4Canonical.canonicalQuery(request.queryItems) == canonical)
    }

    @Test("canonical headers name the first signed header the request lacks")
    func canonicalHeaders_reportsMissingHeader() {
        let request = SignableRequest(method: "GET", target: "/", headers: [("Host", "h"), ("X-Amz-Date", "d")])
        let result = SigV4Canonical.canonicalHeaders(request, signed: ["host", "x-amz-content-sha256", "x-amz-date"])
        #expect(result.missing == "x-amz-content-sha256")
    }

    @Test("header values are trimmed and inner runs of spaces and tabs collapse to one space")
    func canonicalHeaders_trimValues() {
        let request = SignableRequest(
            method: "GET", target: "/", headers: [("A", "\t x \t\t y  "), ("b", "  "), ("B", "z")])
        #expect(SigV4Canonical.canonicalHeaders(request, signed: ["a", "b"]).text == "a:x y\nb:,z\n")
    }

    @Test("payload hashes are lowercase hex SHA-256, and the empty-body constant is the empty hash")
    func payloadHash_isHexSHA256() {
        #expect(SigV4Canonical.payloadHash(Data()) == SigV4Canonical.emptyPayloadHash)
        #expect(
            SigV4Canonical.payloadHash(Data("abc".utf8))
                == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(SigV4Canonical.hex([0x00, 0x0f, 0xa0, 0xff]) == "000fa0ff")
    }
}
