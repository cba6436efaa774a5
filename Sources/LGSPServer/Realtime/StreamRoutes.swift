import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdWebSocket
import LGSPAPI
import LGSPAuth
import LGSPCore
import Logging
import NIOCore

/// Real-time notifications (Article 8.4): Server-Sent Events at `GET /v1/events` and WebSocket at
/// `GET /v1/stream`, both signed like any request, resumable with `Last-Event-ID` (or `?lastEventId=`).
struct StreamRoutes {
    let hub: Hub

    func register(on router: HubRouter) {
        router.get("/v1/events") { request, context in try await serverSentEvents(request, address: context.remoteAddress) }
        // A plain GET (no upgrade) on the WebSocket path: authenticate, so the refusal says why, then ask for an upgrade.
        // The same checks as the upgrade, in its order, so a refused upgrade gets its real reason.
        router.get("/v1/stream") { request, _ in
            let caller = try await hub.authenticated(request)
            _ = try caller.requireUnit(for: "receive notifications")
            _ = try Self.lastEventID(headers: request.headers, query: request.uri.query)
            throw LGSPError(.invalidField, "GET /v1/stream needs a WebSocket upgrade (Connection: Upgrade, Upgrade: websocket); use /v1/events for Server-Sent Events")
        }
    }

    /// The client's last seen event: the `Last-Event-ID` header or the `lastEventId` query parameter.
    static func lastEventID(headers: HTTPFields, query: String?) throws -> Int64? {
        let fromQuery = query?.split(separator: "&").first { $0.hasPrefix("lastEventId=") }.map { String($0.dropFirst("lastEventId=".count)) }
        guard let text = headers[HTTPField.Name("Last-Event-ID")!] ?? fromQuery, !text.isEmpty else { return nil }
        guard let value = Int64(text), value >= 0 else {
            throw LGSPError(.invalidField, "Last-Event-ID '\(text)' is not an event id (a non-negative integer)", field: "Last-Event-ID")
        }
        return value
    }

    private func serverSentEvents(_ request: Request, address: String) async throws -> Response {
        let caller = try await hub.authenticated(request)
        let feed = EventFeed(
            hub: hub, broker: hub.broker, caller: caller, lastEventID: try Self.lastEventID(headers: request.headers, query: request.uri.query),
            channel: .serverSentEvents, address: address)
        _ = try caller.requireUnit(for: "receive notifications")
        let body = ResponseBody { writer in
            try await writer.write(ByteBuffer(string: "retry: 2000\n\n"))
            try await feed.run { frame in try await writer.write(ByteBuffer(string: SSEFormat.encode(frame))) }
            try await writer.finish(nil)
        }
        return Response(
            status: .ok,
            headers: [.contentType: "text/event-stream; charset=utf-8", .cacheControl: "no-store", HTTPField.Name("X-Accel-Buffering")!: "no"],
            body: body)
    }

    /// Decides WebSocket upgrades: only for `/v1/stream` with a valid signature; anything else goes to the router.
    static func shouldUpgrade(hub: Hub)
        -> @Sendable (HTTPRequest, any Channel, Logger) async throws -> ShouldUpgradeResult<WebSocketDataHandler<HTTP1WebSocketUpgradeChannel.Context>>
    {
        { head, channel, logger in
            let target = head.path ?? "/"
            let path = target.split(separator: "?", maxSplits: 1).first.map(String.init) ?? target
            guard path == "/v1/stream" else { return .dontUpgrade }
            var headers: [(name: String, value: String)] = []
            if let authority = head.authority { headers.append(("host", authority)) }
            for field in head.headerFields { headers.append((field.name.canonicalName, field.value)) }
            // On any refusal, let the router answer the same request with a proper problem document.
            let query = target.split(separator: "?", maxSplits: 1).dropFirst().first.map(String.init)
            let caller: Caller
            let lastEventID: Int64?
            do {
                caller = try await hub.authenticator.authenticate(
                    SignableRequest(method: head.method.rawValue, target: target, headers: headers),
                    payload: .body(sha256: SigV4Canonical.emptyPayloadHash, bytes: Data()))
                lastEventID = try Self.lastEventID(headers: head.headerFields, query: query)
            } catch {
                // Refused requests are answered by the router with the problem document; failures of
                // the hub itself (storage) are worth an operator's attention.
                let clientError = (error as? LGSPError).map { $0.code.side == .client } ?? false
                logger.log(level: clientError ? .debug : .error, "WebSocket upgrade refused", metadata: ["reason": "\(error)"])
                return .dontUpgrade
            }
            guard caller.app.unit != nil else { return .dontUpgrade }
            let address = channel.remoteAddress?.description ?? "unknown"
            return .upgrade([:]) { inbound, outbound, _ in
                try await WebSocketFeed.run(hub: hub, caller: caller, lastEventID: lastEventID, address: address, inbound: inbound, outbound: outbound)
            }
        }
    }
}

/// Server-Sent Events framing (WHATWG HTML §9.2).
enum SSEFormat {
    static func encode(_ frame: EventFeed.Frame) -> String {
        switch frame {
        case .snapshot(let data, let lastEventID):
            return "event: snapshot\ndata: " + singleLine(data, lastEventID: lastEventID) + "\n\n"
        case .event(let event):
            return "id: \(event.sequence ?? 0)\nevent: \(event.type.rawValue)\ndata: " + String(decoding: event.payload, as: UTF8.self) + "\n\n"
        case .heartbeat(let at):
            return ": heartbeat \(APICoding.formatDate(at))\n\n"
        }
    }

    /// The snapshot JSON with the stream's starting event id added (JSON encoders emit no newlines here).
    static func singleLine(_ data: Data, lastEventID: Int64) -> String {
        var text = String(decoding: data, as: UTF8.self)
        if text.hasSuffix("}") { text.removeLast(); text += ",\"lastEventId\":\(lastEventID)}" }
        return text
    }
}
