import Foundation
import LGSPAPI
import LGSPCore

/// One app's live feed, whatever the channel (WebSocket or Server-Sent Events): first a snapshot
/// (Articles 8.1 and 9.1: the packets waiting for the app and the states of what it sent recently),
/// then every stored event after the client's last event id, then live events as they are stored,
/// with heartbeats in between. The connection is recorded in the presence history while it lasts.
struct EventFeed {
    let hub: Hub
    let broker: EventBroker
    let caller: Caller
    /// The last event the client saw (`Last-Event-ID`); nil: only events after the snapshot.
    let lastEventID: Int64?
    let channel: ConnectionChannel
    let address: String

    enum Frame {
        case snapshot(Data, lastEventID: Int64)
        case event(HubEvent)
        case heartbeat(Date)
    }

    /// Runs until `send` throws (the client went away) or the task is cancelled.
    func run(_ send: (Frame) async throws -> Void) async throws {
        let unit = try caller.requireUnit(for: "receive notifications")
        let connection = Connection(
            id: CredentialGenerator.identifier(), appID: caller.app.id, unit: unit, channel: channel, node: hub.configuration.nodeName,
            address: address, connectedAt: hub.clock.now())
        try await hub.store.connected(connection)
        let (signals, cancel) = broker.subscribe(caller.app.id, heartbeat: .milliseconds(Int(hub.configuration.heartbeatInterval * 1000)))
        do {
            try await stream(signals: signals, send: send)
        } catch {
            cancel()
            await recordDisconnect(connection)
            throw error
        }
        cancel()
        await recordDisconnect(connection)
    }

    /// Stores the end of the connection. The feed's task is usually cancelled by then (the client
    /// left), and a cancelled task's database write is refused, so the write runs in its own task.
    private func recordDisconnect(_ connection: Connection) async {
        let (store, clock) = (hub.store, hub.clock)
        await Task { try? await store.disconnected(id: connection.id, at: clock.now()) }.value
    }

    private func stream(signals: AsyncStream<EventBroker.Signal>, send: (Frame) async throws -> Void) async throws {
        var cursor: Int64
        if let lastEventID { cursor = lastEventID } else { cursor = try await hub.store.latestEventSequence(appID: caller.app.id) }
        try await send(.snapshot(try await snapshot(), lastEventID: cursor))
        var drained = try await deliver(after: &cursor, send: send)
        for await signal in signals {
            if Task.isCancelled { break }
            drained = try await deliver(after: &cursor, send: send)
            if signal == .heartbeat && drained == 0 { try await send(.heartbeat(hub.clock.now())) }
        }
        _ = drained
    }

    /// Sends every stored event after `cursor`; returns how many were sent.
    private func deliver(after cursor: inout Int64, send: (Frame) async throws -> Void) async throws -> Int {
        var sent = 0
        while true {
            let events = try await hub.store.events(appID: caller.app.id, after: cursor, limit: 500)
            for event in events {
                try await send(.event(event))
                cursor = event.sequence ?? cursor
                sent += 1
            }
            if events.count < 500 { return sent }
        }
    }

    /// The packets waiting for the app and the current states of the packets it sent in the last 7 days.
    private func snapshot() async throws -> Data {
        let inbox = try await hub.exchange.inbox(for: caller, limit: 1000)
        let sent = try await hub.exchange.list(
            PacketQuery(role: .sent(appID: caller.app.id), since: hub.clock.now().addingTimeInterval(-7 * 86400), limit: 200), by: caller)
        let body = StreamSnapshot(
            inbox: inbox.map(InboxItem.init), sent: sent.map { PacketBody($0.packet, deliveries: $0.deliveries, history: nil) })
        return try APICoding.makeEncoder().encode(body)
    }
}
