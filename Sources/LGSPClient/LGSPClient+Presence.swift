import Foundation
import LGSPAPI
import LGSPCore

/// Presence (Article 5.9) and webhooks.
extension LGSPClient {
    /// Whether a unit's apps (or one app, by access key) are online, with their open connections.
    public func presence(of subject: String) async throws -> PresenceResponse {
        try await json(.GET, "/v1/presence/\(subject)")
    }

    /// Administrators: every app's presence.
    public func allPresence() async throws -> PresenceListResponse {
        try await json(.GET, "/v1/admin/presence")
    }

    /// Registers (or replaces) this app's webhook; the answer carries the signing secret, once.
    public func setWebhook(url: String) async throws -> WebhookBody {
        try await json(.PUT, "/v1/webhook", body: WebhookRequest(url: url))
    }

    /// Administrators: registers an app's webhook.
    public func setWebhook(app accessKey: String, url: String) async throws -> WebhookBody {
        try await json(.POST, "/v1/admin/apps/\(accessKey)/webhook", body: WebhookRequest(url: url))
    }

    /// Administrators: removes an app's webhook.
    public func removeWebhook(app accessKey: String) async throws {
        let _: [String: Bool] = try await json(.POST, "/v1/admin/apps/\(accessKey)/webhook/remove")
    }

    /// Administrators: every webhook with its progress (cursor, failing attempts, last error).
    public func webhooks() async throws -> WebhookListResponse {
        try await json(.GET, "/v1/admin/webhooks")
    }

    /// Administrators: events that were given up after the last attempt.
    public func deadLetters() async throws -> DeadLetterListResponse {
        try await json(.GET, "/v1/admin/webhooks/dead-letters")
    }

    /// Administrators: pushes a dead-lettered event again; removes it once the app accepted it.
    public func retryDeadLetter(id: String) async throws {
        let _: [String: Bool] = try await json(.POST, "/v1/admin/webhooks/dead-letters/\(id)/retry")
    }
}
