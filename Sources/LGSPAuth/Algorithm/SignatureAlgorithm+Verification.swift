import Crypto
import Foundation
import LGSPCore
import _CryptoExtras

/// The cryptographic check behind every scheme: an HMAC with a shared key, or an RSA signature
/// with the app's public key. Schemes build the message; this only verifies it.
extension SignatureAlgorithm {
    /// Whether `signature` is the HMAC of `message` under `key`. Always false for RSA algorithms.
    func isValidMAC(_ signature: Data, message: Data, key: Data) -> Bool {
        let key = SymmetricKey(data: key)
        // RFC 2104 practice: swift-crypto compares MACs in constant time.
        switch self {
        case .hmacSHA256: return HMAC<SHA256>.isValidAuthenticationCode(signature, authenticating: message, using: key)
        case .hmacSHA1: return HMAC<Crypto.Insecure.SHA1>.isValidAuthenticationCode(signature, authenticating: message, using: key)
        case .rsaPKCS1SHA256, .rsaPKCS1SHA1, .rsaPSSSHA512: return false
        }
    }

    /// Whether `signature` is a valid RSA signature of `message` under the public key in `publicKeyPEM`.
    /// Always false for HMAC algorithms.
    ///
    /// PSS is verified with MGF1 over the same digest and a salt as long as the digest (what RFC 9421
    /// `rsa-pss-sha512` prescribes); signers that use the maximum salt length do not verify.
    ///
    /// - Throws: `auth.scheme_not_allowed` when the registered key cannot be read as an RSA public key
    ///   of at least 2048 bits (PEM `PUBLIC KEY` or `RSA PUBLIC KEY`).
    func isValidRSASignature(_ signature: Data, message: Data, publicKeyPEM: String) throws(LGSPError) -> Bool {
        let key = try Self.rsaPublicKey(publicKeyPEM)
        let value = _RSA.Signing.RSASignature(rawRepresentation: signature)
        switch self {
        case .rsaPKCS1SHA256: return key.isValidSignature(value, for: SHA256.hash(data: message), padding: .insecurePKCS1v1_5)
        case .rsaPKCS1SHA1: return key.isValidSignature(value, for: Crypto.Insecure.SHA1.hash(data: message), padding: .insecurePKCS1v1_5)
        case .rsaPSSSHA512: return key.isValidSignature(value, for: SHA512.hash(data: message), padding: .PSS)
        case .hmacSHA256, .hmacSHA1: return false
        }
    }

    /// The app's RSA public key from its PEM text.
    static func rsaPublicKey(_ pem: String) throws(LGSPError) -> _RSA.Signing.PublicKey {
        do {
            return try _RSA.Signing.PublicKey(pemRepresentation: pem)
        } catch {
            throw LGSPError(.schemeNotAllowed, "the app's registered RSA public key cannot be read (\(error)); ask the administrator to register a PEM public key of at least 2048 bits")
        }
    }

    /// What to check when an RSA signature does not verify, for the error message.
    var rsaMismatchHint: String {
        switch self {
        case .rsaPSSSHA512:
            return "RSA-PSS is verified with SHA-512, MGF1-SHA-512 and a 64-byte salt (salt length = digest length, as RFC 9421 requires); signers using the maximum salt length do not verify"
        case .rsaPKCS1SHA256, .rsaPKCS1SHA1:
            return "check that the request was signed with the private key matching the registered public key"
        case .hmacSHA256, .hmacSHA1:
            return "check the secret key"
        }
    }
}
