import Crypto
import Foundation
import LGSPCore
import Testing

@testable import LGSPAuth

/// The signatures RFC 9421 publishes (Appendix B.2 and §4.3), rebuilt and verified by the hub's code.
@Suite("RFC 9421 test vectors")
struct RFC9421VectorTests {
    typealias E = RFC9421Examples
    static let digestLine = "\"content-digest\": \(E.contentDigestSHA512)"

    static func base(_ request: SignableRequest, scheme: String = "https") throws -> (MessageSignature, String) {
        let signature = try MessageSignature.all(in: request)[0]
        return (signature, try SignatureBase.make(signature, request: request, scheme: scheme))
    }

    static func verify(_ signature: MessageSignature, base: String, algorithm: SignatureAlgorithm, pem: String) throws -> Int {
        try MessageSignatureVerifier.verify(
            signature.value, bases: [base], algorithm: algorithm, hmacKeys: [], rsaPublicKeyPEM: pem, debug: false)
    }

    @Test("B.2.1 minimal signature: the base is the @signature-params line alone and the RSA-PSS signature verifies")
    func b21() throws {
        let (signature, base) = try Self.base(E.request(signatureInput: E.b21Input, signature: E.b21Signature))
        #expect(base == #""@signature-params": ();created=1618884473;keyid="test-key-rsa-pss";nonce="b3k2pp5k7z-50gnwp.yemd""#)
        #expect(signature.nonce == "b3k2pp5k7z-50gnwp.yemd")
        #expect(try Self.verify(signature, base: base, algorithm: .rsaPSSSHA512, pem: E.rsaPSSPublicKey) == 0)
    }

    @Test("B.2.2 selective coverage with @query-param: base and RSA-PSS signature")
    func b22() throws {
        let (signature, base) = try Self.base(E.request(signatureInput: E.b22Input, signature: E.b22Signature))
        #expect(base == [
            #""@authority": example.com"#, Self.digestLine, #""@query-param";name="Pet": dog"#,
            #""@signature-params": ("@authority" "content-digest" "@query-param";name="Pet");created=1618884473;keyid="test-key-rsa-pss";tag="header-example""#,
        ].joined(separator: "\n"))
        #expect(signature.tag == "header-example")
        #expect(try Self.verify(signature, base: base, algorithm: .rsaPSSSHA512, pem: E.rsaPSSPublicKey) == 0)
    }

    @Test("B.2.3 full coverage: base and RSA-PSS signature")
    func b23() throws {
        let (signature, base) = try Self.base(E.request(signatureInput: E.b23Input, signature: E.b23Signature))
        #expect(base == [
            #""date": Tue, 20 Apr 2021 02:07:55 GMT"#, #""@method": POST"#, #""@path": /foo"#, #""@query": ?param=Value&Pet=dog"#,
            #""@authority": example.com"#, #""content-type": application/json"#, Self.digestLine, #""content-length": 18"#,
            #""@signature-params": ("date" "@method" "@path" "@query" "@authority" "content-type" "content-digest" "content-length");created=1618884473;keyid="test-key-rsa-pss""#,
        ].joined(separator: "\n"))
        #expect(try Self.verify(signature, base: base, algorithm: .rsaPSSSHA512, pem: E.rsaPSSPublicKey) == 0)
    }

    @Test("B.2.5 hmac-sha256: the hub computes exactly the published signature")
    func b25() throws {
        let (signature, base) = try Self.base(E.request(signatureInput: E.b25Input, signature: E.b25Signature))
        #expect(base == [
            #""date": Tue, 20 Apr 2021 02:07:55 GMT"#, #""@authority": example.com"#, #""content-type": application/json"#,
            #""@signature-params": ("date" "@authority" "content-type");created=1618884473;keyid="test-shared-secret""#,
        ].joined(separator: "\n"))
        let mac = HMAC<SHA256>.authenticationCode(for: Data(base.utf8), using: SymmetricKey(data: E.sharedSecret))
        #expect(Data(mac).base64EncodedString() == "pxcQw6G3AjtMBQjwo8XzkZf/bws5LelbaMk5rGIGtE8=")
        let index = try MessageSignatureVerifier.verify(
            signature.value, bases: [base], algorithm: .hmacSHA256, hmacKeys: [Data("other".utf8), E.sharedSecret], rsaPublicKeyPEM: nil,
            debug: false)
        #expect(index == 1, "the second key matched")
    }

    @Test("§4.3 proxy signature: rsa-v1_5-sha256 with expires, verified with a PKCS#1 RSA PUBLIC KEY")
    func proxySignature() throws {
        let (signature, base) = try Self.base(E.proxiedRequest(signatureInput: E.proxyInput, signature: E.proxySignature))
        #expect(signature.algorithm == "rsa-v1_5-sha256")
        #expect(signature.expires == 1_618_884_540)
        #expect(base.hasPrefix("\"@method\": POST\n\"@authority\": origin.host.internal.example\n\"@path\": /foo\n"))
        #expect(try Self.verify(signature, base: base, algorithm: .rsaPKCS1SHA256, pem: E.rsaPublicKey) == 0)
    }

    @Test("a published signature no longer verifies once a covered component changes")
    func tampered() throws {
        var request = E.request(signatureInput: E.b23Input, signature: E.b23Signature)
        request.headers = request.headers.map { $0.name == "content-length" ? ($0.name, "19") : $0 }
        let (signature, base) = try Self.base(request)
        let error = #expect(throws: LGSPError.self) {
            try MessageSignatureVerifier.verify(
                signature.value, bases: [base], algorithm: .rsaPSSSHA512, hmacKeys: [], rsaPublicKeyPEM: E.rsaPSSPublicKey, debug: true)
        }
        #expect(error?.code == .signatureMismatch)
        #expect(error?.details["signatureBase"] == base)
        #expect(error?.message.contains("salt length = digest length") == true)
    }
}
