import Foundation
import LGSPCore
import Synchronization

/// Authenticates requests: finds the scheme that signed them, reads the signature, finds the app
/// and its credentials, checks the app's policy and the nonce, and verifies.
///
/// Failures carry distinct codes: `auth.missing_signature`, `auth.malformed_authorization`,
/// `auth.unsupported_algorithm`, `auth.credential_scope_mismatch`, `auth.missing_signed_header`,
/// `auth.clock_skew` (with the hub's time), `auth.presigned_url_expired`, `auth.unknown_access_key`,
/// `auth.app_disabled`, `auth.scheme_not_allowed`, `auth.replayed_nonce`, `auth.payload_hash_mismatch`,
/// `auth.signature_mismatch`. Secrets and signatures never appear in messages.
public struct RequestAuthenticator: Sendable {
    public let schemes: [any SignatureScheme]
    public let directory: any DirectoryStore
    public let nonces: any NonceStore
    public let clock: any HubClock
    public let cache: CredentialCache
    /// How long a nonce is remembered (covers the schemes' freshness windows).
    public let nonceWindow: TimeInterval
    /// Where an app's activity is recorded for presence (Article 5.9); nil: not recorded.
    public let presence: (any PresenceStore)?
    private let lastTouched = LastUsedThrottle()
    private let lastActive: LastUsedThrottle

    public init(
        schemes: [any SignatureScheme], directory: any DirectoryStore, nonces: any NonceStore, clock: any HubClock = SystemClock(),
        cache: CredentialCache = CredentialCache(), nonceWindow: TimeInterval = 600, presence: (any PresenceStore)? = nil,
        activityInterval: TimeInterval = 10
    ) {
        self.presence = presence
        self.lastActive = LastUsedThrottle(interval: activityInterval)
        self.schemes = schemes
        self.directory = directory
        self.nonces = nonces
        self.clock = clock
        self.cache = cache
        self.nonceWindow = nonceWindow
    }

    /// The caller, or an `auth.*` error.
    public func authenticate(_ request: SignableRequest, payload: PayloadPolicy) async throws -> Caller {
        let now = clock.now()
        let scheme = try scheme(for: request)
        return try await authenticate(try scheme.parse(request, now: now), payload: payload, now: now)
    }

    /// The caller for a signature parsed outside HTTP headers (a WS-Security UsernameToken in a SOAP
    /// header): the same app, policy, nonce and verification checks as `authenticate(_:payload:)`.
    public func authenticate(_ signature: ParsedSignature, payload: PayloadPolicy) async throws -> Caller {
        try await authenticate(signature, payload: payload, now: clock.now())
    }

    private func authenticate(_ signature: ParsedSignature, payload: PayloadPolicy, now: Date) async throws -> Caller {
        AuditScope.current?.claim(signature.keyID)
        let credential = try await credential(signature.keyID, now: now)
        guard let app = credential.app else {
            throw LGSPError(.unknownAccessKey, "access key \(signature.keyID) is not registered at this hub")
        }
        guard app.status == .active else {
            throw LGSPError(.appDisabled, "app \(app.accessKey) is disabled; ask the hub administrator")
        }
        if let refusal = app.auth.refusal(of: signature.scheme, algorithm: signature.algorithm) {
            throw LGSPError(.schemeNotAllowed, refusal, details: ["scheme": signature.scheme.rawValue, "algorithm": signature.algorithm.rawValue])
        }
        let usable = credential.secrets.filter { $0.isUsable(at: now) }
        if !signature.algorithm.isRSA && usable.isEmpty {
            throw LGSPError(.appDisabled, "app \(app.accessKey) has no usable secret key (expired or revoked); ask for a new one")
        }
        let index = try signature.verify(
            AppCredentials(secrets: usable.map(\.secret), rsaPublicKeyPEM: app.auth.rsaPublicKeyPEM), payload, app.auth.debugSignatures)
        // The nonce is recorded only for a valid signature, so forged requests cannot burn nonces.
        if let nonce = signature.nonce {
            guard try await nonces.remember(keyID: app.accessKey, nonce: nonce, until: now.addingTimeInterval(nonceWindow)) else {
                throw LGSPError(.replayedNonce, "nonce \(nonce) was already used with access key \(app.accessKey): the request is a replay")
            }
        }
        if !signature.algorithm.isRSA, usable.indices.contains(index), lastTouched.shouldRecord(usable[index].id, at: now) {
            try? await directory.touchSecret(id: usable[index].id, at: now)
        }
        if let presence, app.role == .app, lastActive.shouldRecord(app.id, at: now) {
            try? await presence.touch(appID: app.id, at: now)
        }
        AuditScope.current?.identify(app)
        return Caller(app: app)
    }

    private func scheme(for request: SignableRequest) throws(LGSPError) -> any SignatureScheme {
        if let scheme = schemes.first(where: { $0.recognizes(request) }) { return scheme }
        if let authorization = request.value("authorization") {
            let name = authorization.prefix { $0 != " " }
            throw LGSPError(.unsupportedAlgorithm, "authorization scheme '\(name)' is not supported; use AWS4-HMAC-SHA256, RFC 9421 HTTP Message Signatures or OAuth 1.0a",
                details: ["supported": schemes.map(\.scheme.rawValue).joined(separator: ",")])
        }
        throw LGSPError(.missingSignature, "the request is not signed: send AWS Signature Version 4 (Authorization: AWS4-HMAC-SHA256 …, scope <date>/vn/lgsp/aws4_request), RFC 9421 Signature-Input/Signature headers, or OAuth 1.0a")
    }

    private func credential(_ accessKey: String, now: Date) async throws -> CredentialCache.Entry {
        if let cached = cache.lookup(accessKey, now: now) { return cached }
        let app = try await directory.app(accessKey: accessKey)
        var secrets: [AppSecret] = []
        if let app { secrets = try await directory.secrets(appID: app.id) }
        let entry = CredentialCache.Entry(app: app, secrets: secrets, loadedAt: now)
        cache.store(entry, for: accessKey)
        return entry
    }
}

/// Records a use (of a secret, of an app) at most once per interval, so that verification does not
/// write on every request.
final class LastUsedThrottle: Sendable {
    private let recorded = Mutex<[String: Date]>([:])
    private let interval: TimeInterval

    init(interval: TimeInterval = 60) { self.interval = interval }

    func shouldRecord(_ secretID: String, at now: Date) -> Bool {
        recorded.withLock { recorded in
            if let last = recorded[secretID], now.timeIntervalSince(last) < interval { return false }
            if recorded.count > 50_000 { recorded.removeAll() }
            recorded[secretID] = now
            return true
        }
    }
}
