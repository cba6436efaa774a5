import Crypto
import Foundation
import LGSPCore

/// The OAuth Request Body Hash extension (draft-eaton-oauth-bodyhash): `oauth_body_hash` is the
/// base64 of the body's hash, signed with the other protocol parameters. Clients (oauthlib) use
/// SHA-1 whatever the signature method; a 32-byte value is read as SHA-256.
enum OAuthBodyHash {
    /// Checks `oauth_body_hash` against what the route knows of the body.
    ///
    /// For a content stream the body is not read here: a SHA-256 value must be one the route accepts
    /// (the packet's declared content digest, or the empty body's) unless `partial`; a SHA-1 value is
    /// left to the exchange, which checks the content's digest when it completes.
    ///
    /// - Throws: `auth.malformed_authorization` for a value that is not base64 of 20 or 32 bytes;
    ///   `auth.payload_hash_mismatch` naming the hash sent and the one computed.
    static func check(_ encoded: String, payload: PayloadPolicy, partial: Bool) throws(LGSPError) {
        guard let sent = Data(base64Encoded: encoded), sent.count == 20 || sent.count == 32 else {
            throw LGSPError(.malformedAuthorization, "oauth_body_hash must be the base64 of the body's SHA-1 (or SHA-256)")
        }
        let algorithm = sent.count == 20 ? "SHA-1" : "SHA-256"
        let actual: Data
        switch payload {
        case .body(let sha256, let bytes):
            if sent.count == 32, let hex = Data(hexString: sha256) {
                actual = hex
            } else if let bytes {
                actual = Data(Crypto.Insecure.SHA1.hash(data: bytes))
            } else {
                throw LGSPError(.payloadHashMismatch, "this route checks the body with SHA-256; send oauth_body_hash as the base64 of the body's SHA-256")
            }
        case .stream(let accepted):
            guard !partial, sent.count == 32 else { return }
            let hex = sent.map { String(format: "%02x", $0) }.joined()
            guard accepted.contains(hex) else {
                throw LGSPError(.payloadHashMismatch, "oauth_body_hash \(encoded) is not the packet's declared content digest; send the content's SHA-256, or leave it out for streamed content",
                    details: ["sent": encoded])
            }
            return
        }
        guard actual == sent else {
            throw LGSPError(.payloadHashMismatch, "oauth_body_hash is \(encoded) but the body's \(algorithm) is \(actual.base64EncodedString()); the body was changed after signing or hashed wrongly",
                details: ["sent": encoded, "computed": actual.base64EncodedString(), "algorithm": algorithm])
        }
    }
}
