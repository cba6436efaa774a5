import Foundation

/// Exponential backoff with full jitter for a peer link's retries (AWS Architecture Blog,
/// "Exponential Backoff And Jitter"): after the n-th consecutive failure the link waits a random
/// time in `[base·2^(n-1) / 2, base·2^(n-1)]`, capped at `maximum`, so that hubs that lost the same
/// peer do not all come back at the same instant, yet never retry faster than half the step.
public struct LinkBackoff: Sendable, Hashable {
    public var base: TimeInterval
    public var maximum: TimeInterval

    public init(base: TimeInterval = 0.5, maximum: TimeInterval = 60) {
        self.base = base
        self.maximum = maximum
    }

    /// The upper bound of the wait after `failures` consecutive failures (0 for none).
    public func ceiling(afterFailures failures: Int) -> TimeInterval {
        guard failures > 0 else { return 0 }
        // 2^(n-1) overflows nothing below 2^62; the cap applies long before.
        return min(maximum, base * pow(2, Double(min(failures - 1, 62))))
    }

    /// A random wait after `failures` consecutive failures, in `[ceiling/2, ceiling]`.
    public func delay(afterFailures failures: Int, random: (ClosedRange<Double>) -> Double = { Double.random(in: $0) }) -> TimeInterval {
        let top = ceiling(afterFailures: failures)
        guard top > 0 else { return 0 }
        return random(top / 2...top)
    }
}
