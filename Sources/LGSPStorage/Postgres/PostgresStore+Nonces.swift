import Foundation
import LGSPCore
import PostgresNIO

/// The replay guard's nonces (`NonceStore`), atomic across every node: one statement decides.
extension PostgresStore: NonceStore {
    public func remember(keyID: String, nonce: String, until: Date) async throws -> Bool {
        // INSERT … ON CONFLICT: of two nodes inserting the same nonce at once, the unique key lets one
        // in; an expired row with the same nonce is replaced (only if it expired).
        let inserted = try await rows(
            """
            INSERT INTO nonces (key_id, nonce, expires_at) VALUES (\(keyID), \(nonce), \(until.millis))
            ON CONFLICT (key_id, nonce) DO UPDATE SET expires_at = EXCLUDED.expires_at
                WHERE nonces.expires_at <= \(Date().millis)
            RETURNING 1
            """)
        return !inserted.isEmpty
    }

    public func forget(before date: Date) async throws {
        try await run("DELETE FROM nonces WHERE expires_at < \(date.millis)")
    }
}
