import Foundation

/// Apps' webhook subscriptions and their delivery progress: events are pushed in order, one at a
/// time; a failing event is retried with backoff and, after the last attempt, dead-lettered (kept for
/// administrators to see and re-send) so that the app's later events still flow.
///
/// Contract (checked by `WebhookStoreConformance` in LGSPTesting): secrets are sealed at rest; the
/// cursor only moves forward; dead letters keep the event sequence, type, attempts and last error.
public protocol WebhookStore: Sendable {
    /// Registers (or replaces) the app's webhook; events after `startAfter` will be pushed.
    func setWebhook(_ webhook: Webhook) async throws
    func removeWebhook(appID: String) async throws
    func webhook(appID: String) async throws -> Webhook?
    func webhooks() async throws -> [Webhook]
    /// The event at `sequence` was delivered: the cursor moves to it and the failure count resets.
    func recordDelivered(appID: String, sequence: Int64) async throws
    /// A delivery attempt failed; the next one is due at `nextAttemptAt`.
    func recordFailure(appID: String, attempts: Int, nextAttemptAt: Date, error: String) async throws
    /// Gives up on the event at `sequence`: records a dead letter and moves the cursor past it.
    func deadLetter(_ letter: DeadLetter) async throws
    /// Dead letters, newest first.
    func deadLetters(limit: Int) async throws -> [DeadLetter]
    func deleteDeadLetter(id: String) async throws
}

/// Where an app wants its events pushed.
public struct Webhook: Sendable, Hashable, CustomStringConvertible {
    public var appID: String
    public var url: String
    /// The shared secret the hub signs pushes with (never logged).
    public var secret: String
    /// The last event delivered (or given up).
    public var cursor: Int64
    /// Failed attempts at the next event.
    public var attempts: Int
    public var nextAttemptAt: Date?
    public var lastError: String?
    public var createdAt: Date

    public init(
        appID: String, url: String, secret: String, cursor: Int64, attempts: Int = 0, nextAttemptAt: Date? = nil, lastError: String? = nil,
        createdAt: Date
    ) {
        self.appID = appID
        self.url = url
        self.secret = secret
        self.cursor = cursor
        self.attempts = attempts
        self.nextAttemptAt = nextAttemptAt
        self.lastError = lastError
        self.createdAt = createdAt
    }

    public var description: String { "Webhook(app: \(appID), url: \(url), secret: <redacted>, cursor: \(cursor))" }
}

/// An event the hub could not push to an app's webhook.
public struct DeadLetter: Sendable, Hashable, Codable {
    public var id: String
    public var appID: String
    public var eventSequence: Int64
    public var eventType: String
    public var attempts: Int
    public var lastError: String
    public var at: Date

    /// On the wire `appId`, like every other app id of the API.
    enum CodingKeys: String, CodingKey {
        case id, appID = "appId", eventSequence, eventType, attempts, lastError, at
    }

    public init(id: String, appID: String, eventSequence: Int64, eventType: String, attempts: Int, lastError: String, at: Date) {
        self.id = id
        self.appID = appID
        self.eventSequence = eventSequence
        self.eventType = eventType
        self.attempts = attempts
        self.lastError = lastError
        self.at = at
    }
}
