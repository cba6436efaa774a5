import Foundation
import LGSPCore
import _CryptoExtras

/// Checks an RSA public key an app registers for RSA signatures.
public enum RSAPublicKey {
    /// The key as PEM, normalised, or `request.invalid_field` naming what is wrong.
    ///
    /// Accepts `-----BEGIN PUBLIC KEY-----` (SPKI) and `-----BEGIN RSA PUBLIC KEY-----` (PKCS#1);
    /// refuses keys shorter than 2048 bits.
    public static func validated(_ pem: String, field: String = "rsaPublicKey") throws(LGSPError) -> String {
        let key: _RSA.Signing.PublicKey
        do {
            // The unsafe initialiser also reads short keys, so that the error can say how short.
            key = try _RSA.Signing.PublicKey(unsafePEMRepresentation: pem)
        } catch {
            throw LGSPError(.invalidField, "the RSA public key is not a PEM public key (-----BEGIN PUBLIC KEY----- …)", field: field)
        }
        guard key.keySizeInBits >= 2048 else {
            throw LGSPError(.invalidField, "the RSA public key has \(key.keySizeInBits) bits; at least 2048 are required", field: field)
        }
        return key.pemRepresentation
    }
}
