import Foundation
import LGSPCore

/// AWS Signature Version 4 as a `SignatureScheme`.
public struct SigV4Scheme: SignatureScheme {
    public let verifier: SigV4Verifier

    public init(verifier: SigV4Verifier) { self.verifier = verifier }

    public var scheme: AuthScheme { .awsSigV4 }

    public func recognizes(_ request: SignableRequest) -> Bool {
        if let authorization = request.value("authorization") { return authorization.hasPrefix("AWS4-") }
        return request.rawQuery?.contains("X-Amz-Signature=") == true || request.rawQuery?.contains("X-Amz-Algorithm=") == true
    }

    public func parse(_ request: SignableRequest, now: Date) throws(LGSPError) -> ParsedSignature {
        let claim = try verifier.parse(request, now: now)
        let verifier = verifier
        return ParsedSignature(scheme: .awsSigV4, keyID: claim.accessKey, algorithm: .hmacSHA256, nonce: nil) { credentials, payload, debug throws(LGSPError) in
            let hashes = try PayloadPolicy.acceptedHashes(declared: claim.declaredPayloadHash, presigned: claim.presigned, policy: payload)
            return try verifier.verify(claim, request: request, secrets: credentials.secrets, payloadHashes: hashes, debug: debug)
        }
    }
}
