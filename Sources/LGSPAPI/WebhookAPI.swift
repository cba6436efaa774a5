import Foundation
import LGSPCore

/// `PUT /v1/webhook` (the app itself) or `POST /v1/admin/apps/{accessKey}/webhook`: where to push events.
public struct WebhookRequest: Codable, Sendable {
    public var url: String

    public init(url: String) { self.url = url }

    enum CodingKeys: String, CodingKey, CaseIterable { case url }

    public init(from decoder: any Decoder) throws {
        try StrictKeys.check(decoder, allowed: ["url"])
        url = try decoder.container(keyedBy: CodingKeys.self).decode(String.self, forKey: .url)
    }
}

/// A webhook on the wire; `secret` only in the answer that created it.
public struct WebhookBody: Codable, Sendable, Hashable {
    public var app: String
    public var url: String
    public var secret: String?
    /// The last event pushed (or given up).
    public var cursor: Int64
    public var attempts: Int
    public var nextAttemptAt: Date?
    public var lastError: String?

    public init(app: String, url: String, secret: String?, cursor: Int64, attempts: Int, nextAttemptAt: Date?, lastError: String?) {
        self.app = app
        self.url = url
        self.secret = secret
        self.cursor = cursor
        self.attempts = attempts
        self.nextAttemptAt = nextAttemptAt
        self.lastError = lastError
    }
}

/// `GET /v1/admin/webhooks`.
public struct WebhookListResponse: Codable, Sendable {
    public var items: [WebhookBody]
    public init(items: [WebhookBody]) { self.items = items }
}

/// `GET /v1/admin/webhooks/dead-letters`.
public struct DeadLetterListResponse: Codable, Sendable {
    public var items: [DeadLetter]
    public init(items: [DeadLetter]) { self.items = items }
}
