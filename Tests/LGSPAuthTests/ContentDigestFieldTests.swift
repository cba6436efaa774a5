import Foundation
import LGSPCore
import Testing

@testable import LGSPAuth

/// RFC 9530 `Content-Digest` checked against the body a route read, or the content a stream declares.
@Suite("Content-Digest (RFC 9530)")
struct ContentDigestFieldTests {
    typealias E = RFC9421Examples
    static let body = PayloadPolicy.body(sha256: SigV4Canonical.payloadHash(E.body), bytes: E.body)

    @Test("the RFC's sha-256 and sha-512 digests of {\"hello\": \"world\"} match, alone or together")
    func matches() throws {
        for field in [E.contentDigestSHA256, E.contentDigestSHA512, "\(E.contentDigestSHA512), \(E.contentDigestSHA256)"] {
            try ContentDigestField.parse([field]).check(Self.body, partial: false)
        }
        // Without the bytes, sha-256 still checks against the body's hash.
        try ContentDigestField.parse([E.contentDigestSHA256]).check(.body(sha256: SigV4Canonical.payloadHash(E.body)), partial: false)
    }

    @Test("a digest of another body is auth.payload_hash_mismatch naming both digests")
    func mismatch() throws {
        let other = PayloadPolicy.body(sha256: SigV4Canonical.payloadHash(Data("{}".utf8)), bytes: Data("{}".utf8))
        for field in [E.contentDigestSHA256, E.contentDigestSHA512] {
            let error = #expect(throws: LGSPError.self) { try ContentDigestField.parse([field]).check(other, partial: false) }
            #expect(error?.code == .payloadHashMismatch)
            #expect(error?.details["sent"] != nil && error?.details["computed"] != nil)
            #expect(error?.message.contains(error?.details["computed"] ?? "-") == true)
        }
    }

    @Test("unknown algorithms are ignored; a field with none the hub knows, or a wrong length, is malformed", arguments: [
        "md5=:AAAAAAAAAAAAAAAAAAAAAA==:", "sha-256=:AAAA:", "sha-256=X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=", "sha-256",
    ])
    func malformed(field: String) {
        let error = #expect(throws: LGSPError.self) { try ContentDigestField.parse([field]) }
        #expect(error?.code == .malformedAuthorization)
    }

    @Test("md5 next to sha-256 is ignored")
    func ignoresUnknown() throws {
        let field = try ContentDigestField.parse(["md5=:AAAAAAAAAAAAAAAAAAAAAA==:, \(E.contentDigestSHA256)"])
        #expect(field.digests.map(\.algorithm) == ["sha-256"])
    }

    @Test("streams: a sha-256 must be an accepted hash unless the request is a Content-Range part; sha-512 is left to the exchange")
    func streams() throws {
        let accepted = PayloadPolicy.stream(acceptedHashes: [SigV4Canonical.payloadHash(E.body)])
        try ContentDigestField.parse([E.contentDigestSHA256]).check(accepted, partial: false)
        try ContentDigestField.parse([E.contentDigestSHA512]).check(.stream(acceptedHashes: []), partial: false)
        try ContentDigestField.parse([E.contentDigestSHA256]).check(.stream(acceptedHashes: []), partial: true)
        let error = #expect(throws: LGSPError.self) {
            try ContentDigestField.parse([E.contentDigestSHA256]).check(.stream(acceptedHashes: []), partial: false)
        }
        #expect(error?.code == .payloadHashMismatch)
    }
}
