/// Who signed in, as the SSO tells a first-party client that redeemed a code in process (the web
/// console): the same facts as the id token's claims.
public struct SSOIdentity: Sendable, Hashable {
    /// The official's stable id (`sub`).
    public var subject: String
    public var login: String
    public var name: String
    public var roles: [OfficialRole]
    /// The unit of a unit officer.
    public var unit: UnitCode?
    /// The SSO session (`sid`); pass it to the end-session endpoint's logout to end every app's session.
    public var sessionID: String

    public init(subject: String, login: String, name: String, roles: [OfficialRole], unit: UnitCode?, sessionID: String) {
        self.subject = subject
        self.login = login
        self.name = name
        self.roles = roles
        self.unit = unit
        self.sessionID = sessionID
    }
}
