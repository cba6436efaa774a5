import Foundation
import GRDB
import LGSPCore

extension SQLiteStore: NonceStore {
    public func remember(keyID: String, nonce: String, until: Date) async throws -> Bool {
        try await writing { db in
            // An expired row with the same nonce may still be there: replace it only if it expired.
            try db.run("DELETE FROM nonces WHERE key_id = ? AND nonce = ? AND expires_at <= ?", [keyID, nonce, Date().millis])
            try db.run("INSERT OR IGNORE INTO nonces (key_id, nonce, expires_at) VALUES (?, ?, ?)", [keyID, nonce, until.millis])
            return db.changesCount == 1
        }
    }

    public func forget(before date: Date) async throws {
        try await writing { db in
            try db.run("DELETE FROM nonces WHERE expires_at < ?", [date.millis])
        }
    }
}
