import Foundation
import JWTKit
import LGSPCore

/// Issues and verifies session tokens and call assertions with the hub's ES256 keys.
///
/// Keys live in a `SigningKeyStore` (sealed with the master key, shared by every node). The newest
/// unretired key signs; every key the store still returns verifies, so rotating keeps tokens already
/// issued valid until they expire. `jwks()` publishes the public halves (`GET /v1/auth/jwks`).
public actor SessionAuthority {
    private let store: any SigningKeyStore
    private let issuer: String
    private let clock: any HubClock
    private var keys = JWTKeyCollection()
    private var signingKid: String?
    private var publicKeys: [(kid: String, key: ES256PublicKey)] = []

    public init(store: any SigningKeyStore, issuer: String, clock: any HubClock = SystemClock()) {
        self.store = store
        self.issuer = issuer
        self.clock = clock
    }

    /// Loads the keys, creating the first one if there is none.
    public func load() async throws {
        var stored = try await store.signingKeys()
        if stored.first(where: { $0.retiredAt == nil }) == nil {
            try await store.addSigningKey(Self.newKey(at: clock.now()))
            stored = try await store.signingKeys()
        }
        let collection = JWTKeyCollection()
        var published: [(kid: String, key: ES256PublicKey)] = []
        for key in stored {
            let privateKey = try ES256PrivateKey(pem: key.privateKeyPEM)
            await collection.add(ecdsa: privateKey, kid: JWKIdentifier(string: key.kid))
            published.append((key.kid, privateKey.publicKey))
        }
        keys = collection
        publicKeys = published
        signingKid = stored.first { $0.retiredAt == nil }?.kid
    }

    /// Makes a new signing key the current one; older keys keep verifying.
    public func rotate() async throws -> String {
        let key = Self.newKey(at: clock.now())
        try await store.addSigningKey(key)
        try await store.retireSigningKeys(except: key.kid, at: clock.now())
        try await load()
        return key.kid
    }

    /// Signs claims with the current key.
    public func sign(_ claims: SessionClaims) async throws -> String {
        if signingKid == nil { try await load() }
        return try await keys.sign(claims, kid: signingKid.map { JWKIdentifier(string: $0) })
    }

    /// Signs any claims with the current key (the SSO's id, access and logout tokens share the JWKS).
    public func sign(payload: some JWTPayload) async throws -> String {
        if signingKid == nil { try await load() }
        return try await keys.sign(payload, kid: signingKid.map { JWKIdentifier(string: $0) })
    }

    /// Verifies a token's signature against every published key and runs the payload's own `verify`;
    /// throws jwt-kit's error when either fails.
    public func verify<Payload: JWTPayload>(_ token: String, as type: Payload.Type) async throws -> Payload {
        if signingKid == nil { try await load() }
        return try await keys.verify(token, as: Payload.self)
    }

    /// The claims of a valid token (signature, expiry, issuer), or `auth.invalid_session` saying why not.
    public func verify(_ token: String, type: String = "lgsp-session") async throws -> SessionClaims {
        if signingKid == nil { try await load() }
        let claims: SessionClaims
        do {
            claims = try await keys.verify(token, as: SessionClaims.self)
        } catch let error as JWTError {
            if case .claimVerificationFailure = error.errorType {
                throw LGSPError(.invalidSession, "the session token has expired; ask for a new one (POST /v1/auth/sessions)")
            }
            throw LGSPError(.invalidSession, "the session token is not valid: it was not issued by this hub or was altered")
        } catch {
            throw LGSPError(.invalidSession, "the session token could not be read")
        }
        guard claims.iss.value == issuer, claims.typ == type else {
            throw LGSPError(.invalidSession, "the token is not a \(type) token issued by this hub")
        }
        return claims
    }

    /// The public keys as a JSON Web Key Set (RFC 7517).
    public func jwks() async throws -> Data {
        if signingKid == nil { try await load() }
        struct JWKSet: Encodable {
            struct Key: Encodable {
                var kty = "EC"
                var crv = "P-256"
                var alg = "ES256"
                var use = "sig"
                var kid: String
                var x: String
                var y: String
            }
            var keys: [Key]
        }
        let set = JWKSet(keys: publicKeys.compactMap { entry in
            guard let parameters = entry.key.parameters else { return nil }
            return JWKSet.Key(kid: entry.kid, x: parameters.x, y: parameters.y)
        })
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return try encoder.encode(set)
    }

    static func newKey(at date: Date) -> StoredSigningKey {
        StoredSigningKey(kid: "lgsp-" + CredentialGenerator.identifier().prefix(8), privateKeyPEM: ES256PrivateKey().pemRepresentation, createdAt: date)
    }
}
