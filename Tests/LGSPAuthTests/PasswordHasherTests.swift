import Foundation
import LGSPAuth
import Testing

/// Officials' password hashes: scrypt, salted, self-describing, verified in constant time.
@Suite("Password hashing")
struct PasswordHasherTests {
    @Test("a hash verifies its password only, and two hashes of one password differ (salt)")
    func verify() throws {
        let hasher = PasswordHasher(logN: 10)
        let first = try hasher.hash("Mật-khẩu 2024!")
        let second = try hasher.hash("Mật-khẩu 2024!")
        #expect(first != second)
        #expect(first.hasPrefix("scrypt$ln=10,r=8,p=1$"))
        #expect(PasswordHasher.verify("Mật-khẩu 2024!", against: first))
        #expect(PasswordHasher.verify("Mật-khẩu 2024!", against: second))
        #expect(!PasswordHasher.verify("mật-khẩu 2024!", against: first))
        #expect(!PasswordHasher.verify("", against: first))
    }

    @Test("the stored cost is the one used to verify: a hash made at 2^11 verifies after the default changes")
    func selfDescribing() throws {
        let stored = try PasswordHasher(logN: 11).hash("bí mật dài")
        #expect(stored.hasPrefix("scrypt$ln=11,"))
        #expect(PasswordHasher.verify("bí mật dài", against: stored))
        #expect(!PasswordHasher.verify("bí mật dài", against: stored.replacingOccurrences(of: "ln=11", with: "ln=12")))
    }

    @Test("known scrypt vector (RFC 7914 §12: P=password, S=NaCl, N=1024, r=8, p=16, first 32 bytes)")
    func rfcVector() {
        // RFC 7914 §12 gives 64 bytes; the stored form keeps the first 32.
        let hash = Data([
            0xfd, 0xba, 0xbe, 0x1c, 0x9d, 0x34, 0x72, 0x00, 0x78, 0x56, 0xe7, 0x19, 0x0d, 0x01, 0xe9, 0xfe,
            0x7c, 0x6a, 0xd7, 0xcb, 0xc8, 0x23, 0x78, 0x30, 0xe7, 0x73, 0x76, 0x63, 0x4b, 0x37, 0x31, 0x62,
        ])
        let stored = "scrypt$ln=10,r=8,p=16$\(Data("NaCl".utf8).base64EncodedString())$\(hash.base64EncodedString())"
        #expect(PasswordHasher.verify("password", against: stored))
        #expect(!PasswordHasher.verify("Password", against: stored))
    }

    @Test("unreadable or out-of-range stored hashes never verify", arguments: ["", "plain", "scrypt$ln=30,r=8,p=1$AAAA$AAAA", "bcrypt$x$y$z", "scrypt$ln=10$AAAA$AAAA"])
    func malformed(stored: String) {
        #expect(!PasswordHasher.verify("anything", against: stored))
    }
}
