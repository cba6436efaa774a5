import Foundation
import LGSPCore

/// Which payload hashes a route accepts in a signature.
public enum PayloadPolicy: Sendable {
    /// A small body the route has read whole: the signature must cover its SHA-256 (hex). Routes that
    /// pass the bytes too let schemes check other digests of them (RFC 9530 `sha-512`, OAuth
    /// `oauth_body_hash` with SHA-1) and read form-encoded OAuth parameters.
    case body(sha256: String, bytes: Data? = nil)
    /// A content stream (upload or download): `UNSIGNED-PAYLOAD` is allowed, and so are the given
    /// hashes (the declared content digest; the empty hash that some clients sign for streamed bodies).
    case stream(acceptedHashes: [String])

    /// The SHA-256 (hex) of the body the route read, if it read one.
    public var bodySHA256: String? {
        if case .body(let sha256, _) = self { return sha256 }
        return nil
    }

    /// The body the route read, if it passed the bytes.
    public var bodyBytes: Data? {
        if case .body(_, let bytes) = self { return bytes }
        return nil
    }

    /// The payload hashes a SigV4 signature may have used, given what the client declared in
    /// `x-amz-content-sha256` (nil: nothing declared) and whether it is a presigned URL.
    ///
    /// - Throws: `auth.payload_hash_mismatch` when the declaration contradicts the body, or is
    ///   `UNSIGNED-PAYLOAD` for a route that signs its body.
    public static func acceptedHashes(declared: String?, presigned: Bool, policy: PayloadPolicy) throws(LGSPError) -> [String] {
        switch policy {
        case .body(let sha256, _):
            guard let declared else { return [sha256] }
            // A presigned URL never signs a body; it is fine for requests that have none.
            if presigned && sha256 == SigV4Canonical.emptyPayloadHash { return [declared] }
            if declared == SigV4Canonical.unsignedPayload {
                throw LGSPError(.payloadHashMismatch, "UNSIGNED-PAYLOAD is accepted only for content uploads and downloads; sign the body's SHA-256")
            }
            guard declared.lowercased() == sha256 else {
                throw LGSPError(.payloadHashMismatch, "x-amz-content-sha256 is \(declared) but the body's SHA-256 is \(sha256): the body was changed or hashed wrongly")
            }
            return [declared]
        case .stream(let accepted):
            guard let declared else { return accepted }
            if declared == SigV4Canonical.unsignedPayload { return [declared] }
            guard accepted.contains(declared.lowercased()) else {
                throw LGSPError(.payloadHashMismatch, "x-amz-content-sha256 \(declared) is not the packet's declared content digest; use the content's SHA-256 or UNSIGNED-PAYLOAD")
            }
            return [declared]
        }
    }
}
