import Foundation

/// An official's sign-in at the SSO (the `lgsp_sso` browser cookie): one login, many apps. It records
/// which clients received tokens in it, so that ending it (end-session endpoint) tells each of them
/// (back-channel logout).
public struct SSOSession: Sendable, Hashable, Codable {
    /// The public session id (`sid` claim).
    public var id: String
    /// SHA-256 (hex) of the browser cookie's secret value.
    public var cookieHash: String
    public var officialID: String
    /// When the official typed their password (`auth_time`).
    public var authTime: Date
    public var expiresAt: Date
    public var endedAt: Date?
    /// Clients that received a code in this session, in the order they first did.
    public var clientIDs: [String]

    public init(
        id: String, cookieHash: String, officialID: String, authTime: Date, expiresAt: Date, endedAt: Date? = nil, clientIDs: [String] = []
    ) {
        self.id = id
        self.cookieHash = cookieHash
        self.officialID = officialID
        self.authTime = authTime
        self.expiresAt = expiresAt
        self.endedAt = endedAt
        self.clientIDs = clientIDs
    }

    /// Whether the session still signs the official in at `date`.
    public func isActive(at date: Date) -> Bool { endedAt == nil && expiresAt > date }
}
