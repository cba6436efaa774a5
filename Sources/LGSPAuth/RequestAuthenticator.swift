import Foundation
import LGSPCore

/// Which payload hashes a route accepts in a signature.
public enum PayloadPolicy: Sendable {
    /// A small body the route has read whole: the signature must cover its SHA-256 (hex).
    case body(sha256: String)
    /// A content stream (upload or download): `UNSIGNED-PAYLOAD` is allowed, and so are the given
    /// hashes (the declared content digest; the empty hash that some clients sign for streamed bodies).
    case stream(acceptedHashes: [String])
}

/// Authenticates requests: parses the signature, finds the app and its secrets, verifies.
///
/// Failures carry distinct codes: `auth.missing_signature`, `auth.malformed_authorization`,
/// `auth.unsupported_algorithm`, `auth.credential_scope_mismatch`, `auth.missing_signed_header`,
/// `auth.clock_skew` (with the hub's time), `auth.presigned_url_expired`, `auth.unknown_access_key`,
/// `auth.app_disabled`, `auth.payload_hash_mismatch`, `auth.signature_mismatch`.
public struct RequestAuthenticator: Sendable {
    public let verifier: SigV4Verifier
    public let directory: any DirectoryStore
    public let clock: any HubClock
    public let cache: CredentialCache

    public init(
        verifier: SigV4Verifier, directory: any DirectoryStore, clock: any HubClock = SystemClock(), cache: CredentialCache = CredentialCache()
    ) {
        self.verifier = verifier
        self.directory = directory
        self.clock = clock
        self.cache = cache
    }

    /// The caller, or an `auth.*` error.
    public func authenticate(_ request: SignableRequest, payload: PayloadPolicy) async throws -> Caller {
        let now = clock.now()
        let claim = try verifier.parse(request, now: now)
        let hashes = try acceptedHashes(claim, payload: payload)
        let credential = try await credential(claim.accessKey, now: now)
        guard let app = credential.app else {
            throw LGSPError(.unknownAccessKey, "access key \(claim.accessKey) is not registered at this hub")
        }
        guard app.status == .active else {
            throw LGSPError(.appDisabled, "app \(app.accessKey) is disabled; ask the hub administrator")
        }
        let secrets = credential.secrets.filter { $0.isUsable(at: now) }.map(\.secret)
        guard !secrets.isEmpty else {
            throw LGSPError(.appDisabled, "app \(app.accessKey) has no usable secret key (expired or revoked); ask for a new one")
        }
        _ = try verifier.verify(claim, request: request, secrets: secrets, payloadHashes: hashes)
        return Caller(app: app)
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

    private func acceptedHashes(_ claim: SigV4Verifier.Claim, payload: PayloadPolicy) throws(LGSPError) -> [String] {
        switch payload {
        case .body(let sha256):
            guard let declared = claim.declaredPayloadHash else { return [sha256] }
            // A presigned URL never signs a body; it is fine for requests that have none.
            if claim.presigned && sha256 == SigV4Canonical.emptyPayloadHash { return [declared] }
            if declared == SigV4Canonical.unsignedPayload {
                throw LGSPError(.payloadHashMismatch, "UNSIGNED-PAYLOAD is accepted only for content uploads and downloads; sign the body's SHA-256")
            }
            guard declared.lowercased() == sha256 else {
                throw LGSPError(.payloadHashMismatch, "x-amz-content-sha256 is \(declared) but the body's SHA-256 is \(sha256): the body was changed or hashed wrongly")
            }
            return [declared]
        case .stream(let accepted):
            guard let declared = claim.declaredPayloadHash else { return accepted }
            if declared == SigV4Canonical.unsignedPayload { return [declared] }
            guard accepted.contains(declared.lowercased()) else {
                throw LGSPError(.payloadHashMismatch, "x-amz-content-sha256 \(declared) is not the packet's declared content digest; use the content's SHA-256 or UNSIGNED-PAYLOAD")
            }
            return [declared]
        }
    }
}
