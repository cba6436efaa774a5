import Foundation

/// The circuit breaker of a peer link, as a pure state machine (no clock of its own, no I/O).
///
/// `closed`: requests flow; after `threshold` consecutive failures it opens. `open`: nothing is
/// sent until `openFor` has passed since it opened; then one probe may go (`halfOpen`). A probe
/// that succeeds closes the breaker; one that fails opens it again for another `openFor`.
public struct CircuitBreaker: Sendable, Hashable {
    public enum State: String, Sendable, Hashable, Codable {
        case closed
        case open
        case halfOpen = "half_open"
    }

    public let threshold: Int
    public let openFor: TimeInterval
    public private(set) var state: State = .closed
    /// Failures in a row since the last success.
    public private(set) var consecutiveFailures = 0
    /// When the breaker last opened.
    public private(set) var openedAt: Date?

    public init(threshold: Int = 5, openFor: TimeInterval = 10) {
        self.threshold = max(1, threshold)
        self.openFor = openFor
    }

    /// Whether a request may be sent at `now`; an open breaker whose time is up turns half-open and lets one probe through.
    public mutating func allowsRequest(at now: Date) -> Bool {
        switch state {
        case .closed:
            return true
        case .halfOpen:
            // The probe is under way: nothing else until it is answered.
            return false
        case .open:
            guard let openedAt, now.timeIntervalSince(openedAt) >= openFor else { return false }
            state = .halfOpen
            return true
        }
    }

    /// When an open breaker lets its probe through (nil unless open).
    public var retryAt: Date? {
        guard state == .open else { return nil }
        return openedAt?.addingTimeInterval(openFor)
    }

    public mutating func recordSuccess() {
        state = .closed
        consecutiveFailures = 0
        openedAt = nil
    }

    public mutating func recordFailure(at now: Date) {
        consecutiveFailures += 1
        if state == .halfOpen || consecutiveFailures >= threshold {
            state = .open
            openedAt = now
        }
    }
}
