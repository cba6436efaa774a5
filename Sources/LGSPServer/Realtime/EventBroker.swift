import Foundation
import LGSPCore
import Synchronization

/// Wakes the streams of this node when events are stored for their app (`EventNotifier`), and tells
/// the other nodes through the `EventFanout`; wake-ups from other nodes arrive through `wake(_:)`.
///
/// A stream registers a continuation for its app; each signal means "read the event log again".
/// Streams also poll on their heartbeat, so a lost wake-up is picked up within one heartbeat interval.
final class EventBroker: EventNotifier, Sendable {
    enum Signal: Sendable { case events, heartbeat }

    private let subscribers = Mutex<[String: [UUID: AsyncStream<Signal>.Continuation]]>([:])
    /// Carries wake-ups to the other nodes (nothing on a hub of one node).
    let fanout: any EventFanout

    init(fanout: any EventFanout = LocalEventFanout()) {
        self.fanout = fanout
    }

    func eventsStored(for appIDs: Set<String>) async {
        wakeLocal(appIDs)
        await fanout.publish(appIDs)
    }

    /// A wake-up from another node: the named apps' streams (or every stream) re-read the log.
    func wake(_ signal: FanoutSignal) {
        switch signal {
        case .apps(let appIDs): wakeLocal(appIDs)
        case .everything:
            let continuations = subscribers.withLock { $0.values.flatMap(\.values) }
            for continuation in continuations { continuation.yield(.events) }
        }
    }

    private func wakeLocal(_ appIDs: Set<String>) {
        let continuations = subscribers.withLock { subscribers in appIDs.flatMap { subscribers[$0].map { Array($0.values) } ?? [] } }
        for continuation in continuations { continuation.yield(.events) }
    }

    /// Signals for a stream of `appID`: `.events` when its events are stored, `.heartbeat` every `interval`.
    /// `cancel` ends the subscription and the timer.
    func subscribe(_ appID: String, heartbeat interval: Duration) -> (signals: AsyncStream<Signal>, cancel: @Sendable () -> Void) {
        let id = UUID()
        let (stream, continuation) = AsyncStream<Signal>.makeStream(bufferingPolicy: .bufferingNewest(2))
        subscribers.withLock { $0[appID, default: [:]][id] = continuation }
        let timer = Task {
            while !Task.isCancelled {
                try? await Task.sleep(for: interval)
                continuation.yield(.heartbeat)
            }
        }
        return (stream, { [weak self] in
            timer.cancel()
            continuation.finish()
            self?.subscribers.withLock { subscribers in
                subscribers[appID]?[id] = nil
                if subscribers[appID]?.isEmpty == true { subscribers[appID] = nil }
            }
        })
    }

    /// How many streams this node holds for an app.
    func streamCount(_ appID: String) -> Int {
        subscribers.withLock { $0[appID]?.count ?? 0 }
    }
}
