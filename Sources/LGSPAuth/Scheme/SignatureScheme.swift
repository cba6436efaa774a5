import Foundation
import LGSPCore

/// What verifying a signature may use of an app's credentials.
public struct AppCredentials: Sendable {
    /// The app's usable shared secrets (one, or two during a key rotation), newest first.
    public var secrets: [String]
    /// The app's RSA public key (PEM), if it registered one.
    public var rsaPublicKeyPEM: String?

    public init(secrets: [String], rsaPublicKeyPEM: String? = nil) {
        self.secrets = secrets
        self.rsaPublicKeyPEM = rsaPublicKeyPEM
    }
}

/// A signature read from a request, before any secret is involved.
public struct ParsedSignature: Sendable {
    public var scheme: AuthScheme
    /// The key id the signature names: the app's access key.
    public var keyID: String
    public var algorithm: SignatureAlgorithm
    /// A nonce the signature covers, if the scheme carries one; the hub refuses it twice within the window.
    public var nonce: String?
    /// Recomputes the signature with the app's credentials and the payload hashes the route accepts.
    /// Returns the index of the secret that matched (0 for RSA). Throws `auth.*` errors; with `debug`,
    /// `auth.signature_mismatch` carries the string the hub signed in `details`.
    public var verify: @Sendable (_ credentials: AppCredentials, _ payload: PayloadPolicy, _ debug: Bool) throws(LGSPError) -> Int

    public init(
        scheme: AuthScheme, keyID: String, algorithm: SignatureAlgorithm, nonce: String?,
        verify: @escaping @Sendable (_ credentials: AppCredentials, _ payload: PayloadPolicy, _ debug: Bool) throws(LGSPError) -> Int
    ) {
        self.scheme = scheme
        self.keyID = keyID
        self.algorithm = algorithm
        self.nonce = nonce
        self.verify = verify
    }
}

/// One way of signing requests. Implementations are pure: no I/O, no clock of their own.
///
/// Contract: `recognizes` is cheap and true only when the request carries this scheme's
/// signature; `parse` checks everything that needs no secret (syntax, algorithm, required signed
/// components, freshness against `now` with the scheme's window) and throws `auth.*` errors naming
/// the problem; the returned `verify` never reads anything but its arguments.
public protocol SignatureScheme: Sendable {
    var scheme: AuthScheme { get }
    func recognizes(_ request: SignableRequest) -> Bool
    func parse(_ request: SignableRequest, now: Date) throws(LGSPError) -> ParsedSignature
}
