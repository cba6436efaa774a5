import Crypto
import Foundation
import LGSPAuth
import _CryptoExtras

/// A small RFC 9421 signer written for the tests, independent of the hub's verifier: plain covered
/// components (no parameters), the signature base assembled by hand.
struct MessageSignatureTestSigner {
    enum Key {
        case hmac(String)
        case rsa(_RSA.Signing.PrivateKey, pss: Bool)
    }

    var keyID: String
    var key: Key
    var alg: String?

    static let rsaKey = try! _RSA.Signing.PrivateKey(keySize: .bits2048)

    /// `request` with `Signature-Input` and `Signature` added (and `Content-Digest` when `digest` is given).
    func sign(
        _ request: SignableRequest, components: [String] = ["@method", "@authority", "@target-uri"], created: Int64,
        expires: Int64? = nil, nonce: String? = nil, digest: String? = nil, scheme: String = "http", label: String = "sig1"
    ) -> SignableRequest {
        var request = request
        if let digest { request.headers.append(("content-digest", digest)) }
        var params = "(" + components.map { "\"\($0)\"" }.joined(separator: " ") + ");created=\(created);keyid=\"\(keyID)\""
        if let alg { params += ";alg=\"\(alg)\"" }
        if let expires { params += ";expires=\(expires)" }
        if let nonce { params += ";nonce=\"\(nonce)\"" }
        let base = Self.base(request, components: components, params: params, scheme: scheme)
        request.headers.append(("signature-input", "\(label)=\(params)"))
        request.headers.append(("signature", "\(label)=:\(sign(Data(base.utf8)).base64EncodedString()):"))
        return request
    }

    func sign(_ message: Data) -> Data {
        switch key {
        case .hmac(let secret):
            return Data(HMAC<SHA256>.authenticationCode(for: message, using: SymmetricKey(data: Data(secret.utf8))))
        case .rsa(let key, let pss):
            if pss { return try! key.signature(for: SHA512.hash(data: message), padding: .PSS).rawRepresentation }
            return try! key.signature(for: SHA256.hash(data: message), padding: .insecurePKCS1v1_5).rawRepresentation
        }
    }

    static func base(_ request: SignableRequest, components: [String], params: String, scheme: String) -> String {
        let host = request.value("host") ?? ""
        let query = request.rawQuery.map { "?" + $0 }
        var lines: [String] = []
        for component in components {
            let value: String
            switch component {
            case "@method": value = request.method
            case "@authority": value = host
            case "@target-uri": value = "\(scheme)://\(host)\(request.rawPath)\(query ?? "")"
            case "@path": value = request.rawPath
            case "@query": value = query ?? "?"
            case "@scheme": value = scheme
            default: value = request.values(component).joined(separator: ", ")
            }
            lines.append("\"\(component)\": \(value)")
        }
        lines.append("\"@signature-params\": \(params)")
        return lines.joined(separator: "\n")
    }

    /// `sha-256=:…:` of `body`.
    static func digest(_ body: Data) -> String { "sha-256=:\(Data(SHA256.hash(data: body)).base64EncodedString()):" }
}

/// A fresh RSA key, for signatures the registered key must not verify.
enum _RSAKeyForTests {
    static func make() throws -> _RSA.Signing.PrivateKey { try _RSA.Signing.PrivateKey(keySize: .bits2048) }
}
