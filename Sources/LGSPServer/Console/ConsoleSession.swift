import Foundation
import LGSPCore

/// An official signed in to the web console: who (from the SSO identity), until when, and the
/// synchronizer token every form of this session must carry (CSRF).
struct ConsoleSession: Codable, Sendable, Hashable {
    /// Random, per console sign-in.
    var id: String
    var subject: String
    var login: String
    var name: String
    var roles: [OfficialRole]
    var unit: UnitCode?
    /// The SSO session it came from: ended there (logout anywhere, back-channel), ended here.
    var ssoSessionID: String
    var expiresAt: Date
    /// The CSRF synchronizer token, compared with each POST's `_csrf` field.
    var csrf: String

    init(identity: SSOIdentity, lifetime: TimeInterval, now: Date) {
        id = ConsoleSeal.randomToken()
        subject = identity.subject
        login = identity.login
        name = identity.name
        roles = identity.roles
        unit = identity.unit
        ssoSessionID = identity.sessionID
        expiresAt = now.addingTimeInterval(lifetime)
        csrf = ConsoleSeal.randomToken()
    }

    /// How the audit log names the official: the same as the SSO's records.
    var actor: String { "official:\(String(login.prefix(64)))" }

    var isAdmin: Bool { roles.contains(.admin) }
    /// Administrators and operators read every unit's pages.
    var readsEverything: Bool { roles.contains(.admin) || roles.contains(.operator) }
    /// Operators (and administrators) handle incidents and maintenance.
    var handlesOperations: Bool { roles.contains(.admin) || roles.contains(.operator) }

    /// The unit a unit officer is limited to; nil for those who read everything.
    var limitedToUnit: UnitCode? { readsEverything ? nil : unit }
}

/// The short-lived state of one sign-in attempt, kept in its own sealed cookie between `/console/`
/// and `/console/callback` (OIDC `state` and `nonce`, the PKCE verifier, where to go afterwards).
struct ConsoleLoginState: Codable, Sendable {
    var state: String
    var nonce: String
    var verifier: String
    var back: String
    var expiresAt: Date
}
