import Foundation
import LGSPAuth
import Testing

/// TOTP (RFC 6238) and HOTP (RFC 4226) against the RFCs' own test vectors, and base32 (RFC 4648).
@Suite("TOTP")
struct TOTPTests {
    static let rfcKey = Array("12345678901234567890".utf8)

    @Test(
        "RFC 6238 Appendix B vectors (SHA-1, 8 digits)",
        arguments: [
            (59.0, "94287082"), (1_111_111_109, "07081804"), (1_111_111_111, "14050471"), (1_234_567_890, "89005924"),
            (2_000_000_000, "69279037"), (20_000_000_000, "65353130"),
        ])
    func rfc6238(time: Double, expected: String) {
        #expect(TOTP.code(key: Self.rfcKey, at: Date(timeIntervalSince1970: time), digits: 8) == expected)
    }

    @Test("RFC 4226 Appendix D vectors (HOTP, 6 digits)")
    func rfc4226() {
        let expected = ["755224", "287082", "359152", "969429", "338314", "254676", "287922", "162583", "399871", "520489"]
        #expect((0..<10).map { TOTP.hotp(key: Self.rfcKey, counter: UInt64($0)) } == expected)
    }

    @Test("a code verifies in its step and one step either side, not two")
    func drift() {
        let secret = Base32.encode(Self.rfcKey)
        let now = Date(timeIntervalSince1970: 1_234_567_890)
        let code = TOTP.code(key: Self.rfcKey, at: now)
        #expect(TOTP.verify(code, secret: secret, at: now))
        #expect(TOTP.verify(code, secret: secret, at: now.addingTimeInterval(30)))
        #expect(TOTP.verify(code, secret: secret, at: now.addingTimeInterval(-30)))
        #expect(!TOTP.verify(code, secret: secret, at: now.addingTimeInterval(90)))
        #expect(!TOTP.verify("000000", secret: secret, at: now) || code == "000000")
        #expect(!TOTP.verify("12345", secret: secret, at: now))
        #expect(!TOTP.verify(code, secret: "not base32!", at: now))
    }

    @Test("base32 round trip and the RFC 4648 §10 vectors")
    func base32() {
        #expect(Base32.encode(Array("foobar".utf8)) == "MZXW6YTBOI")
        #expect(Base32.encode(Array("f".utf8)) == "MY")
        #expect(Base32.decode("MZXW6YTBOI======") == Array("foobar".utf8))
        #expect(Base32.decode("mzxw6ytboi") == Array("foobar".utf8))
        #expect(Base32.decode("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ") == Self.rfcKey)
        #expect(Base32.decode("1") == nil)
        let secret = TOTP.newSecret()
        #expect(secret.count == 32 && Base32.decode(secret)?.count == 20)
    }
}
