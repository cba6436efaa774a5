import Foundation
import LGSPCore
import PostgresNIO

/// Webhook subscriptions, their progress and dead letters (`WebhookStore`); secrets sealed at rest.
extension PostgresStore: WebhookStore {
    public func setWebhook(_ webhook: Webhook) async throws {
        let sealed = masterKey.seal(Data(webhook.secret.utf8), context: "webhook:\(webhook.appID)")
        try await run(
            """
            INSERT INTO webhooks (app_id, url, sealed_secret, cursor, attempts, next_attempt_at, last_error, created_at)
            VALUES (\(webhook.appID), \(webhook.url), \(sealed), \(webhook.cursor), 0, NULL, NULL, \(webhook.createdAt.millis))
            ON CONFLICT (app_id) DO UPDATE SET url = EXCLUDED.url, sealed_secret = EXCLUDED.sealed_secret, attempts = 0,
                next_attempt_at = NULL, last_error = NULL
            """)
    }

    public func removeWebhook(appID: String) async throws {
        try await run("DELETE FROM webhooks WHERE app_id = \(appID)")
    }

    public func webhook(appID: String) async throws -> Webhook? {
        try await rows("SELECT * FROM webhooks WHERE app_id = \(appID)").first.map(webhook)
    }

    public func webhooks() async throws -> [Webhook] {
        try await rows("SELECT * FROM webhooks ORDER BY app_id").map(webhook)
    }

    public func recordDelivered(appID: String, sequence: Int64) async throws {
        try await run(
            """
            UPDATE webhooks SET cursor = GREATEST(cursor, \(sequence)), attempts = 0, next_attempt_at = NULL, last_error = NULL
            WHERE app_id = \(appID)
            """)
    }

    public func recordFailure(appID: String, attempts: Int, nextAttemptAt: Date, error: String) async throws {
        try await run(
            """
            UPDATE webhooks SET attempts = \(Int64(attempts)), next_attempt_at = \(nextAttemptAt.millis), last_error = \(error)
            WHERE app_id = \(appID)
            """)
    }

    public func deadLetter(_ letter: DeadLetter) async throws {
        try await transaction { tx in
            try await tx.run(
                """
                INSERT INTO webhook_dead_letters (id, app_id, event_seq, event_type, attempts, last_error, at)
                VALUES (\(letter.id), \(letter.appID), \(letter.eventSequence), \(letter.eventType), \(Int64(letter.attempts)), \(letter.lastError),
                    \(letter.at.millis))
                """)
            try await tx.run(
                """
                UPDATE webhooks SET cursor = GREATEST(cursor, \(letter.eventSequence)), attempts = 0, next_attempt_at = NULL, last_error = NULL
                WHERE app_id = \(letter.appID)
                """)
        }
    }

    public func deadLetters(limit: Int) async throws -> [DeadLetter] {
        try await rows("SELECT * FROM webhook_dead_letters ORDER BY at DESC, id LIMIT \(Int64(limit))").map { row in
            DeadLetter(
                id: try row.string("id"), appID: try row.string("app_id"), eventSequence: try row.int64("event_seq"),
                eventType: try row.string("event_type"), attempts: try row.int("attempts"), lastError: try row.string("last_error"),
                at: try row.date("at"))
        }
    }

    public func deleteDeadLetter(id: String) async throws {
        try await run("DELETE FROM webhook_dead_letters WHERE id = \(id)")
    }

    private func webhook(_ row: PGRow) throws -> Webhook {
        let appID = try row.string("app_id")
        let secret = try masterKey.open(try row.data("sealed_secret"), context: "webhook:\(appID)")
        return Webhook(
            appID: appID, url: try row.string("url"), secret: String(decoding: secret, as: UTF8.self), cursor: try row.int64("cursor"),
            attempts: try row.int("attempts"), nextAttemptAt: try row.optionalDate("next_attempt_at"), lastError: try row.optionalString("last_error"),
            createdAt: try row.date("created_at"))
    }
}
