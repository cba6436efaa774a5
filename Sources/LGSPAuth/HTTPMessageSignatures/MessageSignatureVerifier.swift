import Foundation
import LGSPCore

/// Checks an RFC 9421 signature value against candidate signature bases (one per URI scheme tried)
/// with an app's HMAC keys or RSA public key.
enum MessageSignatureVerifier {
    /// The index of the HMAC key that verifies one of `bases` (0 for RSA).
    ///
    /// - Throws: `auth.signature_mismatch` (with `details["signatureBase"]`, the first base, when
    ///   `debug`); `auth.scheme_not_allowed` when an RSA key is needed and none can be read.
    static func verify(
        _ value: Data, bases: [String], algorithm: SignatureAlgorithm, hmacKeys: [Data], rsaPublicKeyPEM: String?, debug: Bool
    ) throws(LGSPError) -> Int {
        for base in bases {
            let message = Data(base.utf8)
            if algorithm.isRSA {
                guard let pem = rsaPublicKeyPEM else {
                    throw LGSPError(.schemeNotAllowed, "this app has no RSA public key registered, so \(algorithm.rawValue) cannot be verified")
                }
                if try algorithm.isValidRSASignature(value, message: message, publicKeyPEM: pem) { return 0 }
            } else if let index = hmacKeys.firstIndex(where: { algorithm.isValidMAC(value, message: message, key: $0) }) {
                return index
            }
        }
        var details: [String: String] = [:]
        if debug, let first = bases.first { details["signatureBase"] = first }
        throw LGSPError(.signatureMismatch, "the \(algorithm.rawValue) signature does not match the signature base the hub built from the covered components (RFC 9421 §2.5); \(algorithm.rsaMismatchHint), and that each covered component is sent exactly as signed",
            details: details)
    }
}
