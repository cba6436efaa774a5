/// Carries "these apps have new events" between the nodes of a hub, so a stream held by node B
/// hears at once of a packet accepted by node A.
///
/// Contract: a wake-up, not a message queue. The stored event log stays the source of truth: a
/// published signal may be lost (a node restarts, the connection drops); `signals` then yields
/// `.everything` once the channel is back, and every stream re-reads the log. Payloads stay tiny
/// (app ids only). Signals published by a node may come back to that node (harmless: one more read).
///
/// Implementations: `LocalEventFanout` (one node: nothing to carry) and `PostgresEventFanout`
/// (`LISTEN/NOTIFY` on a dedicated connection).
public protocol EventFanout: Sendable {
    /// Tells the other nodes that events were stored for `appIDs`.
    func publish(_ appIDs: Set<String>) async
    /// Wake-ups from the other nodes, until the fanout stops; one consumer.
    func signals() -> AsyncStream<FanoutSignal>
    /// Keeps the channel open (reconnecting after failures) until the task is cancelled; returns at
    /// once when there is nothing to keep open.
    func run() async throws
}

/// What another node said.
public enum FanoutSignal: Sendable, Hashable {
    /// New events for these apps.
    case apps(Set<String>)
    /// Signals may have been missed (the channel was re-established): every stream should re-read the log.
    case everything
}

/// A hub of one node: nothing to carry to other nodes.
public struct LocalEventFanout: EventFanout {
    public init() {}
    public func publish(_ appIDs: Set<String>) async {}
    public func signals() -> AsyncStream<FanoutSignal> { AsyncStream { $0.finish() } }
    public func run() async throws {}
}
