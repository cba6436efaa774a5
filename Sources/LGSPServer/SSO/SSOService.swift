import AsyncHTTPClient
import Crypto
import Foundation
import LGSPAuth
import LGSPCore
import Logging
import Synchronization

/// The hub's OpenID Connect provider (Article 11): officials sign in once and business apps registered
/// as clients receive id tokens. Tokens are signed with the hub's ES256 keys (`SessionAuthority`, the
/// same JWKS as session tokens).
///
/// First-party use in process: the web console is the built-in client `lgsp-console` (no secret; redirect
/// URI `{issuer}/console/callback`, post-logout URI `{issuer}/console/`) and redeems codes with
/// `redeem(code:clientID:redirectURI:codeVerifier:)`.
public final class SSOService: Sendable {
    /// The built-in client id of the hub's web console.
    public static let consoleClientID = "lgsp-console"

    let accounts: any AccountStore
    let keys: SessionAuthority
    let configuration: SSOConfiguration
    let clock: any HubClock
    let logger: Logger
    let audit: AuditRecorder
    let http: HTTPClient
    let hasher: PasswordHasher
    /// The decoy hash for unknown logins (`decoyHash()`), made once.
    let decoy = Mutex<String?>(nil)
    /// The issuer before the port is known (configured, public URL, or host without port).
    private let configuredIssuer: String?
    private let defaultScheme: String
    private let host: String
    private let boundPort: Mutex<Int?>

    init(
        accounts: any AccountStore, keys: SessionAuthority, hub configuration: HubConfiguration, clock: any HubClock, audit: AuditRecorder,
        http: HTTPClient, logger: Logger
    ) {
        self.accounts = accounts
        self.keys = keys
        self.configuration = configuration.sso
        self.clock = clock
        self.audit = audit
        self.http = http
        self.logger = logger
        hasher = PasswordHasher(logN: configuration.sso.passwordCost)
        let configured = configuration.sso.issuer ?? configuration.publicURL
        configuredIssuer = configured.map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 }
        defaultScheme = configuration.usesTLS ? "https" : "http"
        host = configuration.host.contains(":") ? "[\(configuration.host)]" : configuration.host
        boundPort = Mutex(configuration.port == 0 ? nil : configuration.port)
    }

    /// Records the port the server listens on (the default issuer includes it; port 0 picks one at start).
    public func bind(port: Int) { boundPort.withLock { $0 = port } }

    /// The issuer URL (`iss`; discovery at `{issuer}/.well-known/openid-configuration`), without a trailing slash.
    public var issuer: String {
        if let configuredIssuer { return configuredIssuer }
        let port = boundPort.withLock { $0 }
        return "\(defaultScheme)://\(host)" + (port.map { ":\($0)" } ?? "")
    }

    /// Whether the SSO cookie must be `Secure`.
    var usesTLS: Bool { issuer.hasPrefix("https://") }

    /// The URLs an app configures (Article 11): issuer, discovery, and each endpoint.
    public var endpoints: SSOEndpoints { SSOEndpoints(issuer: issuer) }

    /// A registered client, or the built-in console client.
    public func client(id: String) async throws -> SSOClient? {
        if id == Self.consoleClientID {
            return SSOClient(
                id: id, secretHash: nil, name: "Bảng điều khiển LGSP", redirectURIs: [issuer + "/console/callback"],
                postLogoutRedirectURIs: [issuer + "/console/"], createdAt: Date(timeIntervalSince1970: 0))
        }
        return try await accounts.ssoClient(id: id)
    }

    static func sha256Hex(_ text: String) -> String {
        SHA256.hash(data: Data(text.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    /// 256 random bits as base64url without padding (codes, cookie secrets, client secrets).
    static func randomToken() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }
        return Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// Records an SSO event in the audit log, as the official (`official:<login>`) or anonymous.
    func record(_ action: String, login: String?, target: String, outcome: String = "ok") {
        let scope = AuditScope.current
        audit.record(
            AuditRecord(
                at: clock.now(), actor: login.map { "official:\(String($0.prefix(64)))" } ?? scope?.actor ?? "anonymous", action: action,
                target: target, outcome: outcome, source: scope?.source ?? "", requestID: scope?.requestID ?? ""))
    }
}

/// The URLs of the SSO that a relying party configures.
public struct SSOEndpoints: Sendable, Codable, Hashable {
    public var issuer: String
    public var discovery: String
    public var authorization: String
    public var token: String
    public var userinfo: String
    public var jwks: String
    public var endSession: String

    public init(issuer: String) {
        self.issuer = issuer
        discovery = issuer + "/.well-known/openid-configuration"
        authorization = issuer + "/sso/authorize"
        token = issuer + "/sso/token"
        userinfo = issuer + "/sso/userinfo"
        jwks = issuer + "/sso/jwks"
        endSession = issuer + "/sso/logout"
    }
}
