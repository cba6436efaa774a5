import Foundation

/// The hub's source of time. Reports, deadlines and signature windows all read it.
public protocol HubClock: Sendable {
    /// The current instant.
    func now() -> Date
}

/// The system clock.
public struct SystemClock: HubClock {
    public init() {}
    public func now() -> Date { Date() }
}
