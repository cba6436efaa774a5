import AsyncHTTPClient
import Crypto
import Foundation
import LGSPCore
import Logging
import NIOCore
import ServiceLifecycle

/// Pushes events to apps' webhooks, in order, signed by the hub; retries a failing push with
/// exponential backoff and jitter; after the last attempt dead-letters the event (administrators see
/// it in `GET /v1/admin/webhooks/dead-letters` and can re-send it) and goes on with the next.
///
/// A push is `POST <url>` with the event as JSON (`{"type","id","at","data"}`, as on the WebSocket) and
/// the headers `X-LGSP-Event-Id`, `X-LGSP-Event-Type`, `X-LGSP-Delivery-Attempt` and
/// `X-LGSP-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>`: the app recomputes
/// the HMAC with its webhook secret and compares (and refuses old `t`). Any 2xx answer counts as delivered.
struct WebhookService: ServiceLifecycle.Service {
    let hub: Hub
    let logger: Logger

    func run() async throws {
        try await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                await pass()
                try await Task.sleep(for: .milliseconds(Int(hub.configuration.webhookPollInterval * 1000)))
            }
        }
    }

    /// One round over every webhook: pushes what is due, up to 100 events each.
    ///
    /// With several nodes, an app's webhook is pushed by one node at a time (the `webhook:<app id>`
    /// lease): events go out in order, and a node that dies mid-push leaves the app to the others
    /// when its lease lapses (the event in flight may then be pushed again: at least once).
    func pass() async {
        guard let webhooks = try? await hub.store.webhooks() else { return }
        let leases = hub.taskLeases
        for webhook in webhooks {
            if let next = webhook.nextAttemptAt, next > hub.clock.now() { continue }
            let task = "webhook:" + webhook.appID
            guard await leases.hold(task) else { continue }
            // Another node may have moved the cursor since the list was read.
            if let current = try? await hub.store.webhook(appID: webhook.appID) { await drain(current) { await leases.hold(task) } }
            await leases.release(task)
        }
    }

    /// Pushes the webhook's due events in order; `stillHeld` renews the lease once a third of it has
    /// passed (the drain stops when the lease is lost).
    private func drain(_ webhook: Webhook, stillHeld: @Sendable () async -> Bool = { true }) async {
        var current = webhook
        var renewed = ContinuousClock.now
        for _ in 0..<100 {
            if ContinuousClock.now - renewed > .milliseconds(Int(hub.configuration.clusterLease * 1000 / 3)) {
                guard await stillHeld() else { return }
                renewed = ContinuousClock.now
            }
            guard let event = try? await hub.store.events(appID: current.appID, after: current.cursor, limit: 1).first, let sequence = event.sequence
            else { return }
            do {
                try await push(event, to: current, attempt: current.attempts + 1)
                try await hub.store.recordDelivered(appID: current.appID, sequence: sequence)
                current.cursor = sequence
                current.attempts = 0
            } catch {
                let attempts = current.attempts + 1
                let message = String(describing: error).prefix(300)
                if attempts >= hub.configuration.webhookMaxAttempts {
                    try? await hub.store.deadLetter(
                        DeadLetter(
                            id: CredentialGenerator.identifier(), appID: current.appID, eventSequence: sequence, eventType: event.type.rawValue,
                            attempts: attempts, lastError: String(message), at: hub.clock.now()))
                    logger.warning("webhook push dead-lettered", metadata: ["app": "\(current.appID)", "event": "\(sequence)"])
                    current.cursor = sequence
                    current.attempts = 0
                    continue
                }
                let delay = Self.backoff(attempt: attempts, base: hub.configuration.webhookBaseDelay)
                try? await hub.store.recordFailure(
                    appID: current.appID, attempts: attempts, nextAttemptAt: hub.clock.now().addingTimeInterval(delay), error: String(message))
                return
            }
        }
    }

    /// base × 2^(attempt−1), at most 5 minutes, plus up to 20 % jitter.
    static func backoff(attempt: Int, base: TimeInterval) -> TimeInterval {
        let delay = min(300, base * pow(2, Double(attempt - 1)))
        return delay * Double.random(in: 1.0...1.2)
    }

    /// Pushes one event; throws unless the app answers 2xx.
    func push(_ event: HubEvent, to webhook: Webhook, attempt: Int) async throws {
        let body = Data(WebSocketFeed.message(.event(event)).utf8)
        let timestamp = String(Int(hub.clock.now().timeIntervalSince1970))
        var request = HTTPClientRequest(url: webhook.url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "User-Agent", value: "lgsp-webhook/\(LGSPVersion.current)")
        request.headers.add(name: "X-LGSP-Event-Id", value: String(event.sequence ?? 0))
        request.headers.add(name: "X-LGSP-Event-Type", value: event.type.rawValue)
        request.headers.add(name: "X-LGSP-Delivery-Attempt", value: String(attempt))
        request.headers.add(name: "X-LGSP-Signature", value: "t=\(timestamp),v1=\(Self.signature(secret: webhook.secret, timestamp: timestamp, body: body))")
        request.body = .bytes(ByteBuffer(bytes: body))
        let response = try await hub.providers.execute(request, timeout: .seconds(10))
        _ = try? await response.body.collect(upTo: 64 * 1024)
        guard (200..<300).contains(response.status.code) else {
            throw WebhookPushError(status: Int(response.status.code))
        }
    }

    /// Lowercase hex HMAC-SHA256 of `"<timestamp>.<body>"` under the webhook secret.
    static func signature(secret: String, timestamp: String, body: Data) -> String {
        var message = Data((timestamp + ".").utf8)
        message.append(body)
        let code = HMAC<SHA256>.authenticationCode(for: message, using: SymmetricKey(data: Data(secret.utf8)))
        return code.map { String(format: "%02x", $0) }.joined()
    }
}

/// A webhook answered with a status other than 2xx.
struct WebhookPushError: Error, CustomStringConvertible {
    var status: Int
    var description: String { "the webhook answered HTTP \(status)" }
}
