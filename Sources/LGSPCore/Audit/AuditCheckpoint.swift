import Crypto
import Foundation

/// A signed statement of the chain's head at a moment: anchors the log so that rewriting it (even
/// recomputing every hash) is caught unless the signing key is stolen too.
public struct AuditCheckpoint: Sendable, Hashable {
    /// The sequence of the head entry when the checkpoint was made.
    public var sequence: Int64
    /// That entry's hash.
    public var hash: Data
    public var at: Date
    /// The Ed25519 public key (32 bytes raw) that signed it.
    public var publicKey: Data
    /// Ed25519 signature of `message`.
    public var signature: Data

    public init(sequence: Int64, hash: Data, at: Date, publicKey: Data, signature: Data) {
        self.sequence = sequence
        self.hash = hash
        self.at = at
        self.publicKey = publicKey
        self.signature = signature
    }

    /// What is signed: `lgsp-audit-checkpoint\n<sequence>\n<hash hex>\n<Unix milliseconds>`.
    public static func message(sequence: Int64, hash: Data, at: Date) -> Data {
        Data("lgsp-audit-checkpoint\n\(sequence)\n\(hash.auditHex)\n\(at.auditMillis)".utf8)
    }

    /// Whether the signature is valid for this checkpoint's fields under `key` (or its own key).
    public func isValid(key: Data? = nil) -> Bool {
        guard let publicKey = try? Curve25519.Signing.PublicKey(rawRepresentation: key ?? self.publicKey) else { return false }
        return publicKey.isValidSignature(signature, for: Self.message(sequence: sequence, hash: hash, at: at))
    }
}

/// The hub's checkpoint key: Ed25519, kept in the data folder (`audit-signing.key`, mode 0600).
public struct AuditSigner: Sendable {
    private let key: Curve25519.Signing.PrivateKey

    public init(rawRepresentation: Data) throws {
        key = try Curve25519.Signing.PrivateKey(rawRepresentation: rawRepresentation)
    }

    public static func generate() -> AuditSigner { AuditSigner(key: Curve25519.Signing.PrivateKey()) }

    private init(key: Curve25519.Signing.PrivateKey) { self.key = key }

    public var rawRepresentation: Data { key.rawRepresentation }
    public var publicKey: Data { key.publicKey.rawRepresentation }

    /// Signs the head `entry` at `at`.
    public func checkpoint(_ entry: AuditEntry, at: Date) throws -> AuditCheckpoint {
        let at = at.auditRounded
        let signature = try key.signature(for: AuditCheckpoint.message(sequence: entry.sequence, hash: entry.hash, at: at))
        return AuditCheckpoint(sequence: entry.sequence, hash: entry.hash, at: at, publicKey: publicKey, signature: signature)
    }
}

extension Data {
    /// Lower-case hexadecimal.
    public var auditHex: String { map { String(format: "%02x", $0) }.joined() }
}
