/// Wakes whoever waits for an app's events (streams on this node, and — in a cluster — other nodes).
///
/// The stored event log is the source of truth: a wake-up only says "read the log again", so a lost
/// wake-up delays an event (until the next heartbeat poll) but never loses it.
public protocol EventNotifier: Sendable {
    func eventsStored(for appIDs: Set<String>) async
}

/// No live listeners (tests of the use cases, tools).
public struct SilentNotifier: EventNotifier {
    public init() {}
    public func eventsStored(for appIDs: Set<String>) async {}
}
