import Foundation
import GRDB
import LGSPCore

extension SQLiteStore: WebhookStore {
    public func setWebhook(_ webhook: Webhook) async throws {
        let sealed = masterKey.seal(Data(webhook.secret.utf8), context: "webhook:\(webhook.appID)")
        try await writing { db in
            try db.run(
                """
                INSERT INTO webhooks (app_id, url, sealed_secret, cursor, attempts, next_attempt_at, last_error, created_at)
                VALUES (?, ?, ?, ?, 0, NULL, NULL, ?)
                ON CONFLICT(app_id) DO UPDATE SET url = excluded.url, sealed_secret = excluded.sealed_secret, attempts = 0,
                    next_attempt_at = NULL, last_error = NULL
                """,
                [webhook.appID, webhook.url, sealed, webhook.cursor, webhook.createdAt.millis])
        }
    }

    public func removeWebhook(appID: String) async throws {
        try await writing { db in try db.run("DELETE FROM webhooks WHERE app_id = ?", [appID]) }
    }

    public func webhook(appID: String) async throws -> Webhook? {
        let masterKey = masterKey
        return try await reading { db in
            try db.row("SELECT * FROM webhooks WHERE app_id = ?", [appID]).map { try Self.webhook($0, masterKey: masterKey) }
        }
    }

    public func webhooks() async throws -> [Webhook] {
        let masterKey = masterKey
        return try await reading { db in
            try db.rows("SELECT * FROM webhooks ORDER BY app_id").map { try Self.webhook($0, masterKey: masterKey) }
        }
    }

    public func recordDelivered(appID: String, sequence: Int64) async throws {
        try await writing { db in
            try db.run(
                "UPDATE webhooks SET cursor = MAX(cursor, ?), attempts = 0, next_attempt_at = NULL, last_error = NULL WHERE app_id = ?",
                [sequence, appID])
        }
    }

    public func recordFailure(appID: String, attempts: Int, nextAttemptAt: Date, error: String) async throws {
        try await writing { db in
            try db.run(
                "UPDATE webhooks SET attempts = ?, next_attempt_at = ?, last_error = ? WHERE app_id = ?",
                [attempts, nextAttemptAt.millis, error, appID])
        }
    }

    public func deadLetter(_ letter: DeadLetter) async throws {
        try await writing { db in
            try db.run(
                "INSERT INTO webhook_dead_letters (id, app_id, event_seq, event_type, attempts, last_error, at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                [letter.id, letter.appID, letter.eventSequence, letter.eventType, letter.attempts, letter.lastError, letter.at.millis])
            try db.run(
                "UPDATE webhooks SET cursor = MAX(cursor, ?), attempts = 0, next_attempt_at = NULL, last_error = NULL WHERE app_id = ?",
                [letter.eventSequence, letter.appID])
        }
    }

    public func deadLetters(limit: Int) async throws -> [DeadLetter] {
        try await reading { db in
            try db.rows("SELECT * FROM webhook_dead_letters ORDER BY at DESC, id LIMIT ?", [limit]).map { row in
                DeadLetter(
                    id: row["id"], appID: row["app_id"], eventSequence: row["event_seq"], eventType: row["event_type"], attempts: row["attempts"],
                    lastError: row["last_error"], at: try stored(row.date("at"), "dead letter date"))
            }
        }
    }

    public func deleteDeadLetter(id: String) async throws {
        try await writing { db in try db.run("DELETE FROM webhook_dead_letters WHERE id = ?", [id]) }
    }

    static func webhook(_ row: Row, masterKey: MasterKey) throws -> Webhook {
        let appID: String = row["app_id"]
        let secret = try masterKey.open(row["sealed_secret"] as Data, context: "webhook:\(appID)")
        return Webhook(
            appID: appID, url: row["url"], secret: String(decoding: secret, as: UTF8.self), cursor: row["cursor"], attempts: row["attempts"],
            nextAttemptAt: row.date("next_attempt_at"), lastError: row["last_error"], createdAt: try stored(row.date("created_at"), "webhook date"))
    }
}
