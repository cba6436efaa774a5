import Foundation
import LGSPAuth
import LGSPCore
import Testing

/// WS-Security UsernameToken (PasswordDigest) verification.
@Suite("WS-Security UsernameToken scheme")
struct UsernameTokenSchemeTests {
    static let now = Date(timeIntervalSince1970: 1_796_000_000)
    static let created = "2026-11-29T08:00:00Z"
    static let nonce = Data("0123456789abcdef".utf8)

    static func token(password: String? = nil, type: String? = UsernameTokenScheme.passwordDigestType, nonce: String? = nonce.base64EncodedString(), created: String? = created) -> UsernameToken {
        let digest = password ?? UsernameToken.digest(nonce: Self.nonce, created: created ?? "", password: "secret")
        return UsernameToken(username: "AK1", password: digest, passwordType: type, nonce: nonce, created: created)
    }

    static var createdDate: Date { ISO8601DateFormatter().date(from: created)! }

    @Test("the digest is Base64(SHA-1(nonce + created + password)) (OASIS UsernameToken Profile 1.1 §3.1)")
    func digest_matchesProfile() {
        // Computed independently: printf '0123456789abcdef2026-11-29T08:00:00Zsecret' | sha1sum | xxd -r -p | base64
        #expect(UsernameToken.digest(nonce: Self.nonce, created: Self.created, password: "secret") == "snVcy/p4vQvs78FSb9tAas+fsNY=")
    }

    @Test("a right digest verifies with the matching secret; the nonce is handed to the replay guard")
    func rightDigest_verifies() throws {
        let signature = try UsernameTokenScheme().parse(Self.token(), now: Self.createdDate)
        #expect(signature.keyID == "AK1" && signature.scheme == .wsUsernameToken && signature.algorithm == .hmacSHA1)
        #expect(signature.nonce == Self.nonce.base64EncodedString())
        #expect(try signature.verify(AppCredentials(secrets: ["other", "secret"]), .body(sha256: ""), false) == 1)
        #expect(throws: LGSPError.self) { try signature.verify(AppCredentials(secrets: ["other"]), .body(sha256: ""), false) }
    }

    @Test("refusals name the problem", arguments: [
        (token(type: "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0#PasswordText"), "auth.unsupported_algorithm"),
        (token(type: nil), "auth.unsupported_algorithm"),
        (token(nonce: nil), "auth.malformed_authorization"),
        (token(nonce: "c2hvcnQ="), "auth.malformed_authorization"),
        (token(created: nil), "auth.malformed_authorization"),
        (token(created: "2026-11-29T07:00:00Z"), "auth.clock_skew"),
        (token(password: "%%%"), "auth.malformed_authorization"),
    ])
    func refusal(token: UsernameToken, code: String) {
        #expect { try UsernameTokenScheme().parse(token, now: Self.createdDate) } throws: { ($0 as? LGSPError)?.code.rawValue == code }
    }
}
