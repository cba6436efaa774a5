import Foundation
import LGSPAuth
import LGSPCore

/// What a service call looks up on every request — the service, the consumer's grants and its
/// verified session token — kept for a few seconds (`auth.credentialCacheSeconds`) so that a busy
/// service does not read the directory and verify the same ES256 token on every call.
///
/// Changes made through this node (a service or grant added) clear the cache at once; changes made
/// on another node of a cluster take effect within the TTL, as with credentials. A verified token is
/// kept until its own expiry or the TTL, whichever comes first; the grant is re-checked from the
/// (cached) grants on every call, so a revoked grant stops calls within the TTL.
final class ServiceProxyCache: Sendable {
    let ttl: TimeInterval
    private let services = ExpiringCache<ServiceRef, Service?>()
    private let grants = ExpiringCache<String, [Grant]>()
    private let sessions = ExpiringCache<String, SessionClaims>()

    init(ttl: TimeInterval) {
        self.ttl = ttl
    }

    func service(_ ref: ServiceRef, now: Date, load: () async throws -> Service?) async throws -> Service? {
        if let cached = services.value(for: ref, now: now) { return cached }
        let service = try await load()
        if ttl > 0 { services.store(service, for: ref, until: now.addingTimeInterval(ttl)) }
        return service
    }

    func grants(appID: String, now: Date, load: () async throws -> [Grant]) async throws -> [Grant] {
        if let cached = grants.value(for: appID, now: now) { return cached }
        let loaded = try await load()
        if ttl > 0 { grants.store(loaded, for: appID, until: now.addingTimeInterval(ttl)) }
        return loaded
    }

    func session(_ token: String, now: Date, verify: () async throws -> SessionClaims) async throws -> SessionClaims {
        if let cached = sessions.value(for: token, now: now) { return cached }
        let claims = try await verify()
        if ttl > 0 { sessions.store(claims, for: token, until: min(claims.exp.value, now.addingTimeInterval(ttl))) }
        return claims
    }

    /// After a service or grant changed on this node.
    func clear() {
        services.removeAll()
        grants.removeAll()
    }
}
