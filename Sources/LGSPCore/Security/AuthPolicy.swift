import Foundation

/// The request-signing schemes the hub accepts (Article 10: signatures made with HMAC-SHA256,
/// HMAC-SHA1 or RSA). Each app is allowed a set of them.
public enum AuthScheme: String, Sendable, Codable, CaseIterable {
    /// AWS Signature Version 4 (`AWS4-HMAC-SHA256`), header or presigned query.
    case awsSigV4 = "aws-sigv4"
    /// RFC 9421 HTTP Message Signatures (`Signature-Input` / `Signature`).
    case httpMessageSignatures = "http-message-signatures"
    /// OAuth 1.0a request signing (RFC 5849), for legacy systems.
    case oauth1
    /// WS-Security UsernameToken with PasswordDigest in a SOAP header, for legacy SOAP systems
    /// (SHA-1 based: the app also needs `allowSHA1`).
    case wsUsernameToken = "ws-username-token"
}

/// A signature algorithm, whatever the scheme that carries it.
public enum SignatureAlgorithm: String, Sendable, Codable, CaseIterable {
    case hmacSHA256 = "hmac-sha256"
    /// Only for apps explicitly allowed it (legacy), and flagged in reports.
    case hmacSHA1 = "hmac-sha1"
    case rsaPKCS1SHA256 = "rsa-v1_5-sha256"
    case rsaPKCS1SHA1 = "rsa-v1_5-sha1"
    case rsaPSSSHA512 = "rsa-pss-sha512"

    /// Whether the algorithm uses the app's RSA public key (otherwise its shared secrets).
    public var isRSA: Bool { self == .rsaPKCS1SHA256 || self == .rsaPKCS1SHA1 || self == .rsaPSSSHA512 }
}

/// How an app may sign its requests: the schemes it may use, whether SHA-1 based algorithms are
/// allowed (legacy systems only; flagged in reports), its RSA public key, and whether refusals may
/// show the string the hub signed (for integrators debugging their signer).
public struct AuthPolicy: Sendable, Hashable, Codable {
    public var schemes: Set<AuthScheme>
    /// HMAC-SHA1 and RSA-SHA1 signatures are refused unless this is set.
    public var allowSHA1: Bool
    /// PEM of the app's RSA public key; RSA algorithms are refused without one.
    public var rsaPublicKeyPEM: String?
    /// With this set, `auth.signature_mismatch` answers carry the canonical string the hub computed.
    public var debugSignatures: Bool

    public init(
        schemes: Set<AuthScheme> = Set(AuthScheme.allCases), allowSHA1: Bool = false, rsaPublicKeyPEM: String? = nil,
        debugSignatures: Bool = false
    ) {
        self.schemes = schemes
        self.allowSHA1 = allowSHA1
        self.rsaPublicKeyPEM = rsaPublicKeyPEM
        self.debugSignatures = debugSignatures
    }

    /// The default: every scheme, no SHA-1, no RSA key, no debug output.
    public static let standard = AuthPolicy()

    /// Whether a signature of `scheme` with `algorithm` may be verified for this app; otherwise the reason.
    public func refusal(of scheme: AuthScheme, algorithm: SignatureAlgorithm) -> String? {
        if !schemes.contains(scheme) { return "this app may not sign with \(scheme.rawValue) (allowed: \(schemes.map(\.rawValue).sorted().joined(separator: ", ")))" }
        if (algorithm == .hmacSHA1 || algorithm == .rsaPKCS1SHA1) && !allowSHA1 {
            return "\(algorithm.rawValue) is a legacy algorithm this app is not allowed (the administrator can enable it with --allow-hmac-sha1)"
        }
        if algorithm.isRSA && rsaPublicKeyPEM == nil { return "this app has no RSA public key registered, so \(algorithm.rawValue) cannot be verified" }
        return nil
    }
}
