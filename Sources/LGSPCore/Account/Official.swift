import Foundation

/// An official (cán bộ) who signs in to the provincial SSO: a login name, a password (only its slow
/// salted hash is kept), an optional TOTP second factor, roles, and the unit of a unit officer.
public struct Official: Sendable, Hashable, Codable, CustomStringConvertible {
    /// Internal identifier; the `sub` claim of the tokens the SSO issues (stable across renames).
    public var id: String
    /// The login name typed on the login form (lowercase letters, digits, `.`, `-`, `_`).
    public var login: String
    /// The name shown to people (`name` claim), e.g. "Nguyễn Văn An".
    public var displayName: String
    /// What the official may do; never empty.
    public var roles: [OfficialRole]
    /// The unit of a unit officer (`unit_code` claim); nil for others.
    public var unit: UnitCode?
    /// The password hash in a self-describing form (`scrypt$N=…,r=…,p=…$salt$hash`).
    public var passwordHash: String
    /// The base32 TOTP secret (RFC 6238), if a second factor is required; sealed at rest.
    public var totpSecret: String?
    /// Wrong passwords in a row since the last success or lockout.
    public var failedAttempts: Int
    /// Until when sign-in is refused after too many failures.
    public var lockedUntil: Date?
    /// Whether sign-in is refused for good (until enabled again).
    public var disabled: Bool
    public var createdAt: Date

    public init(
        id: String, login: String, displayName: String, roles: [OfficialRole], unit: UnitCode? = nil, passwordHash: String,
        totpSecret: String? = nil, failedAttempts: Int = 0, lockedUntil: Date? = nil, disabled: Bool = false, createdAt: Date
    ) {
        self.id = id
        self.login = login
        self.displayName = displayName
        self.roles = roles
        self.unit = unit
        self.passwordHash = passwordHash
        self.totpSecret = totpSecret
        self.failedAttempts = failedAttempts
        self.lockedUntil = lockedUntil
        self.disabled = disabled
        self.createdAt = createdAt
    }

    /// Whether sign-in is refused at `date` because of repeated failures.
    public func isLocked(at date: Date) -> Bool { lockedUntil.map { $0 > date } ?? false }

    /// Never prints the password hash or the TOTP secret.
    public var description: String { "Official(\(login), roles: \(roles.map(\.rawValue)), <redacted>)" }

    /// Checks a login name: 1–64 of lowercase letters, digits, `.`, `-`, `_` (what officials type).
    public static func validateLogin(_ login: String) throws(LGSPError) {
        let allowed = Set("abcdefghijklmnopqrstuvwxyz0123456789.-_")
        guard !login.isEmpty, login.count <= 64, login.allSatisfy({ allowed.contains($0) }) else {
            throw LGSPError(
                .invalidField, "login '\(login)' must be 1 to 64 lowercase letters, digits, '.', '-' or '_'", field: "login")
        }
    }

    /// Checks that roles and unit agree: at least one role, and a unit exactly when `unit-officer` is one.
    public static func validateRoles(_ roles: [OfficialRole], unit: UnitCode?) throws(LGSPError) {
        guard !roles.isEmpty else { throw LGSPError(.invalidField, "an official needs at least one role", field: "roles") }
        if roles.contains(.unitOfficer) && unit == nil {
            throw LGSPError(.missingField, "a unit-officer needs the unit they work for", field: "unit")
        }
        if !roles.contains(.unitOfficer) && unit != nil {
            throw LGSPError(.invalidField, "only a unit-officer belongs to a unit; drop unit or add the unit-officer role", field: "unit")
        }
    }
}
