import Foundation
import JWTKit
import LGSPCore

/// A signed hand-off receipt (federation): the receiving hub declares that it holds packet `sub`
/// with this digest and size and has taken responsibility for delivering it to `rcpt`. Signed
/// ES256 with the hub's session key (`SessionAuthority`), so the sending hub verifies it against the
/// receiver's published JWKS (`GET /v1/auth/jwks`) and can show it later (reconciliation).
public struct HandOffReceiptClaims: JWTPayload, Equatable {
    /// The hub that took responsibility.
    public var iss: IssuerClaim
    /// The peer that handed the packet off (its name at the issuing hub).
    public var aud: AudienceClaim
    /// The packet id.
    public var sub: SubjectClaim
    public var iat: IssuedAtClaim
    /// Always `lgsp-handoff`.
    public var typ: String
    /// The content's SHA-256 (hex) and size in bytes, as verified on arrival.
    public var sha256: String
    public var size: Int64
    /// The recipients the issuing hub accepted the packet for.
    public var rcpt: [String]

    public static let type = "lgsp-handoff"

    public init(issuer: String, peer: String, packet: Packet, recipients: [UnitCode], issuedAt: Date) {
        iss = IssuerClaim(value: issuer)
        aud = AudienceClaim(value: [peer])
        sub = SubjectClaim(value: packet.id.rawValue)
        iat = IssuedAtClaim(value: issuedAt)
        typ = Self.type
        sha256 = packet.content.sha256.hex
        size = packet.content.size
        rcpt = recipients.map(\.rawValue)
    }

    public func verify(using algorithm: some JWTAlgorithm) async throws {
        guard typ == Self.type else { throw JWTError.claimVerificationFailure(failedClaim: nil, reason: "not a hand-off receipt") }
    }

    /// The recipients as codes.
    public var recipients: [UnitCode] { rcpt.compactMap { UnitCode(lenient: $0) } }
}

/// Checks a peer's hand-off receipt against the peer's JWKS and the packet that was offered.
public enum HandOffReceiptVerifier {
    /// Why a receipt is not accepted.
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    /// The receipt's claims if it is signed by a key of `jwks` and names `packet` with its digest and size.
    public static func verify(_ token: String, jwks: Data, packet: Packet) async throws -> HandOffReceiptClaims {
        let keys = JWTKeyCollection()
        do {
            try await keys.add(jwksJSON: String(decoding: jwks, as: UTF8.self))
        } catch {
            throw Failure(description: "the peer's JWKS could not be read: \(error)")
        }
        let claims: HandOffReceiptClaims
        do {
            claims = try await keys.verify(token, as: HandOffReceiptClaims.self)
        } catch {
            throw Failure(description: "the hand-off receipt's signature does not verify against the peer's published keys")
        }
        guard claims.sub.value == packet.id.rawValue, claims.sha256 == packet.content.sha256.hex, claims.size == packet.content.size else {
            throw Failure(description: "the hand-off receipt names another packet, digest or size than the one offered")
        }
        return claims
    }
}
