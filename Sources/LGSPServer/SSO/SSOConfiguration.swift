import Foundation

/// The SSO's settings (`sso.*` keys of `HubConfiguration`).
///
/// Keys:
///   - `sso.issuer` (string, optional): the issuer URL apps configure (`iss` of every token); default:
///     `server.publicURL`, else `http(s)://<server.host>:<bound port>`
///   - `sso.lockoutAttempts` (int, default 5): wrong passwords in a row that lock an official out
///   - `sso.lockoutMinutes` (double, default 15): how long the lockout lasts
///   - `sso.codeSeconds` (double, default 60): how long an authorization code may be redeemed
///   - `sso.tokenSeconds` (double, default 600): lifetime of id and access tokens
///   - `sso.sessionHours` (double, default 8): lifetime of the SSO browser session (`lgsp_sso` cookie)
///   - `sso.passwordCost` (int, default 15): log2 of scrypt's N for new password hashes (10…20)
///   - `sso.backchannelTimeoutSeconds` (double, default 3): how long a back-channel logout POST may take
public struct SSOConfiguration: Sendable {
    public var issuer: String?
    public var lockoutAttempts = 5
    public var lockoutDuration: TimeInterval = 15 * 60
    public var codeLifetime: TimeInterval = 60
    public var tokenLifetime: TimeInterval = 600
    public var sessionLifetime: TimeInterval = 8 * 3600
    public var passwordCost = 15
    public var backchannelTimeout: TimeInterval = 3

    public init() {}
}
