import LGSPCore
import Testing

@Suite("CredentialGenerator")
struct CredentialGeneratorTests {
    @Test("access keys are LGSP and 16 base32 characters")
    func accessKey_hasShape() {
        for _ in 0..<1000 {
            let key = CredentialGenerator.accessKey()
            #expect(key.wholeMatch(of: /LGSP[A-Z2-7]{16}/) != nil, "\(key)")
        }
    }

    @Test("secret keys are 40 URL-safe base64 characters without padding")
    func secretKey_hasShape() {
        for _ in 0..<1000 {
            let secret = CredentialGenerator.secretKey()
            #expect(secret.wholeMatch(of: /[A-Za-z0-9_-]{40}/) != nil, "\(secret)")
        }
    }

    @Test("1000 draws give 1000 different access keys, secrets and identifiers")
    func draws_areUnique() {
        #expect(Set((0..<1000).map { _ in CredentialGenerator.accessKey() }).count == 1000)
        #expect(Set((0..<1000).map { _ in CredentialGenerator.secretKey() }).count == 1000)
        #expect(Set((0..<1000).map { _ in CredentialGenerator.identifier() }).count == 1000)
    }

    @Test("identifiers are lowercase UUIDs")
    func identifier_isLowercaseUUID() {
        let id = CredentialGenerator.identifier()
        #expect(id.wholeMatch(of: /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/) != nil)
    }
}
