import Foundation

/// The hub's token-signing keys (session tokens, call assertions): kept sealed with the master key,
/// so that every node signs and verifies with the same keys and a restart keeps them.
///
/// Contract: keys come back newest first; a retired key is still returned (tokens it signed stay
/// verifiable until they expire) but is no longer used to sign.
public protocol SigningKeyStore: Sendable {
    func signingKeys() async throws -> [StoredSigningKey]
    func addSigningKey(_ key: StoredSigningKey) async throws
    func retireSigningKeys(except kid: String, at: Date) async throws
}

/// A token-signing key as stored: its id and its private key in PEM (sealed at rest by the store).
public struct StoredSigningKey: Sendable, Hashable, CustomStringConvertible {
    public var kid: String
    public var privateKeyPEM: String
    public var createdAt: Date
    public var retiredAt: Date?

    public init(kid: String, privateKeyPEM: String, createdAt: Date, retiredAt: Date? = nil) {
        self.kid = kid
        self.privateKeyPEM = privateKeyPEM
        self.createdAt = createdAt
        self.retiredAt = retiredAt
    }

    public var description: String { "StoredSigningKey(kid: \(kid), <redacted>)" }
}
