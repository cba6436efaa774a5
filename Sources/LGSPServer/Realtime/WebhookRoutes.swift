import Foundation
import Hummingbird
import LGSPAPI
import LGSPCore

/// Webhook registration (by the app itself or an administrator), listing, and dead letters.
struct WebhookRoutes {
    let hub: Hub

    func register(on router: HubRouter) {
        router.put("/v1/webhook") { request, _ in
            let (caller, body) = try await hub.authenticatedJSON(WebhookRequest.self, request)
            _ = try caller.requireUnit(for: "register a webhook")
            return try JSONBody.response(try await set(body.url, for: caller.app))
        }
        router.post("/v1/admin/apps/{accessKey}/webhook") { request, context in
            let (caller, body) = try await hub.authenticatedJSON(WebhookRequest.self, request)
            try caller.requireAdmin(for: "registering a webhook")
            return try JSONBody.response(try await set(body.url, for: try await app(context.parameters.get("accessKey"))))
        }
        router.post("/v1/admin/apps/{accessKey}/webhook/remove") { request, context in
            let caller = try await hub.authenticated(request)
            try caller.requireAdmin(for: "removing a webhook")
            try await hub.store.removeWebhook(appID: try await app(context.parameters.get("accessKey")).id)
            return try JSONBody.response(["removed": true])
        }
        router.get("/v1/admin/webhooks") { request, _ in
            let caller = try await hub.authenticated(request)
            try caller.requireAdmin(for: "listing webhooks")
            var keys: [String: String] = [:]
            for app in try await hub.store.apps(unit: nil) { keys[app.id] = app.accessKey }
            return try JSONBody.response(WebhookListResponse(items: try await hub.store.webhooks().map { Self.body($0, app: keys[$0.appID] ?? $0.appID) }))
        }
        router.get("/v1/admin/webhooks/dead-letters") { request, _ in
            let caller = try await hub.authenticated(request)
            try caller.requireAdmin(for: "listing dead letters")
            return try JSONBody.response(DeadLetterListResponse(items: try await hub.store.deadLetters(limit: 500)))
        }
        router.post("/v1/admin/webhooks/dead-letters/{id}/retry") { request, context in
            let caller = try await hub.authenticated(request)
            try caller.requireAdmin(for: "re-sending a dead letter")
            let id = context.parameters.get("id") ?? ""
            guard let letter = try await hub.store.deadLetters(limit: 10_000).first(where: { $0.id == id }) else {
                throw LGSPError(.invalidField, "there is no dead letter \(id)", field: "id")
            }
            guard let webhook = try await hub.store.webhook(appID: letter.appID),
                let event = try await hub.store.events(appID: letter.appID, after: letter.eventSequence - 1, limit: 1).first
            else {
                throw LGSPError(.invalidField, "the app of dead letter \(id) no longer has a webhook", field: "id")
            }
            do {
                try await WebhookService(hub: hub, logger: hub.logger).push(event, to: webhook, attempt: letter.attempts + 1)
            } catch {
                throw LGSPError(.providerUnreachable, "the webhook still refuses the event: \(error)")
            }
            try await hub.store.deleteDeadLetter(id: id)
            return try JSONBody.response(["delivered": true])
        }
    }

    private func app(_ accessKey: String?) async throws -> App {
        guard let app = try await hub.store.app(accessKey: accessKey ?? ""), app.role == .app else {
            throw LGSPError(.unknownApp, "there is no app with access key \(accessKey ?? "")")
        }
        return app
    }

    /// Registers the webhook with a fresh secret; only events stored from now on are pushed.
    private func set(_ url: String, for app: App) async throws -> WebhookBody {
        guard let parsed = URL(string: url), let scheme = parsed.scheme, scheme == "http" || scheme == "https", parsed.host != nil else {
            throw LGSPError(.invalidField, "'\(url)' is not an http(s) URL", field: "url")
        }
        try WebhookTargetPolicy(allowedHosts: hub.configuration.webhookAllowedHosts).check(parsed)
        let webhook = Webhook(
            appID: app.id, url: url, secret: CredentialGenerator.secretKey(), cursor: try await hub.store.latestEventSequence(appID: app.id),
            createdAt: hub.clock.now())
        try await hub.store.setWebhook(webhook)
        var body = Self.body(webhook, app: app.accessKey)
        body.secret = webhook.secret
        return body
    }

    static func body(_ webhook: Webhook, app: String) -> WebhookBody {
        WebhookBody(
            app: app, url: webhook.url, secret: nil, cursor: webhook.cursor, attempts: webhook.attempts, nextAttemptAt: webhook.nextAttemptAt,
            lastError: webhook.lastError)
    }
}
