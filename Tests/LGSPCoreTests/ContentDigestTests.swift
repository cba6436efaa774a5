import Foundation
import LGSPCore
import Testing

@Suite("ContentDigest")
struct ContentDigestTests {
    // FIPS 180-2 / NIST test vectors for SHA-256 ("abc" also has bytes 0x01 and 0x00: hex keeps leading zeros).
    @Test(
        "of(_:) computes SHA-256 in lowercase hex",
        arguments: [
            ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
            ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
            (
                "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
                "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"
            ),
        ])
    func of_computesSHA256(text: String, hex: String) {
        #expect(ContentDigest.of(Data(text.utf8)).hex == hex)
        #expect(ContentDigest.of(Array(text.utf8)).description == hex)
    }

    @Test("hex text is accepted in either case and kept in lowercase")
    func init_acceptsEitherCase() throws {
        let upper = "BA7816BF8F01CFEA414140DE5DAE2223B00361A396177A9CB410FF61F20015AD"
        let digest = try ContentDigest(hex: upper)
        #expect(digest.hex == upper.lowercased())
        #expect(digest == ContentDigest.of(Data("abc".utf8)))
    }

    @Test(
        "text that is not 64 hex characters is refused with exchange.invalid_digest",
        arguments: [
            "", "abc", String(repeating: "a", count: 63), String(repeating: "a", count: 65),
            String(repeating: "g", count: 64), String(repeating: "a", count: 62) + " a",
            "ungTz6TLhQ9oQdnJpsOvY1EE7kbvg0TKlKaZxNGBNWo=",
        ])
    func init_refusesNonHex(text: String) {
        let error = #expect(throws: LGSPError.self) { try ContentDigest(hex: text) }
        #expect(error?.code == .invalidDigest)
        #expect(error?.field == "content.sha256")
    }

    @Test("the field named in the error is the one given")
    func init_namesGivenField() {
        let error = #expect(throws: LGSPError.self) { try ContentDigest(hex: "xyz", field: "sha256") }
        #expect(error?.field == "sha256")
    }

    @Test("Codable writes the hex string and validates when decoding")
    func codable_roundTrips() throws {
        let digest = ContentDigest.of(Data("abc".utf8))
        let data = try JSONEncoder().encode(digest)
        #expect(String(decoding: data, as: UTF8.self) == "\"\(digest.hex)\"")
        #expect(try JSONDecoder().decode(ContentDigest.self, from: data) == digest)
        #expect(throws: LGSPError.self) { try JSONDecoder().decode(ContentDigest.self, from: Data(#""nope""#.utf8)) }
    }
}
