import Foundation

/// One secret key (khóa bí mật) of an app. An app has one, or two while a rotation is in its grace period.
///
/// The plaintext lives only in memory; stores keep it sealed with the master key. `description`
/// redacts it so that it never reaches a log by accident.
public struct AppSecret: Sendable, Hashable, CustomStringConvertible {
    public var id: String
    public var appID: String
    /// The secret itself. Never log it.
    public var secret: String
    public var createdAt: Date
    /// After this instant the secret no longer verifies (set on the old secret by a rotation).
    public var expiresAt: Date?
    /// Set when an administrator revokes the secret.
    public var revokedAt: Date?
    /// When a request last verified with this secret (recorded at most once a minute).
    public var lastUsedAt: Date?

    public init(
        id: String, appID: String, secret: String, createdAt: Date, expiresAt: Date? = nil, revokedAt: Date? = nil, lastUsedAt: Date? = nil
    ) {
        self.id = id
        self.appID = appID
        self.secret = secret
        self.createdAt = createdAt
        self.expiresAt = expiresAt
        self.revokedAt = revokedAt
        self.lastUsedAt = lastUsedAt
    }

    /// Whether the secret verifies signatures at `now`.
    public func isUsable(at now: Date) -> Bool {
        revokedAt == nil && (expiresAt.map { now < $0 } ?? true)
    }

    public var description: String { "AppSecret(id: \(id), app: \(appID), secret: <redacted>)" }
}
