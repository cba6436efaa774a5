import Foundation
import HummingbirdWebSocket
import LGSPAPI
import LGSPCore
import NIOCore

/// An app's feed over a WebSocket: JSON text messages `{"type", "id", "data", "at"}` (the snapshot
/// first, then events, and heartbeats), until the client closes the socket.
enum WebSocketFeed {
    static func run(
        hub: Hub, caller: Caller, lastEventID: Int64?, address: String, inbound: WebSocketInboundStream, outbound: WebSocketOutboundWriter
    ) async throws {
        let feed = EventFeed(hub: hub, broker: hub.broker, caller: caller, lastEventID: lastEventID, channel: .webSocket, address: address)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                try await feed.run { frame in try await outbound.write(.text(message(frame))) }
            }
            group.addTask {
                // Inbound messages are not used; the loop ends when the client closes the socket.
                for try await _ in inbound {}
            }
            _ = try await group.next()
            group.cancelAll()
        }
    }

    static func message(_ frame: EventFeed.Frame) -> String {
        switch frame {
        case .snapshot(let data, let lastEventID):
            return #"{"type":"snapshot","lastEventId":\#(lastEventID),"data":"# + String(decoding: data, as: UTF8.self) + "}"
        case .event(let event):
            return #"{"type":"\#(event.type.rawValue)","id":\#(event.sequence ?? 0),"at":"\#(APICoding.formatDate(event.at))","data":"#
                + String(decoding: event.payload, as: UTF8.self) + "}"
        case .heartbeat(let at):
            return #"{"type":"heartbeat","at":"\#(APICoding.formatDate(at))"}"#
        }
    }
}
