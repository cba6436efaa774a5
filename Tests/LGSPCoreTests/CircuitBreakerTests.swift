import Foundation
import LGSPCore
import Testing

/// The peer link's circuit breaker: closed, open after N failures in a row, one half-open probe.
@Suite("CircuitBreaker")
struct CircuitBreakerTests {
    let t0 = Date(timeIntervalSince1970: 1_000_000)

    @Test("it opens after the threshold of consecutive failures, not before; a success resets the count")
    func opens_afterThreshold() {
        var breaker = CircuitBreaker(threshold: 3, openFor: 10)
        breaker.recordFailure(at: t0)
        breaker.recordFailure(at: t0)
        breaker.recordSuccess()
        breaker.recordFailure(at: t0)
        breaker.recordFailure(at: t0)
        #expect(breaker.state == .closed)
        let allowed1 = breaker.allowsRequest(at: t0)
        #expect(allowed1)
        breaker.recordFailure(at: t0)
        #expect(breaker.state == .open)
        #expect(breaker.consecutiveFailures == 3)
        let allowed2 = breaker.allowsRequest(at: t0.addingTimeInterval(9.9))
        #expect(!allowed2)
        #expect(breaker.retryAt == t0.addingTimeInterval(10))
    }

    @Test("after openFor one probe goes through; its success closes the breaker")
    func halfOpen_probeSucceeds() {
        var breaker = CircuitBreaker(threshold: 1, openFor: 10)
        breaker.recordFailure(at: t0)
        let allowed3 = breaker.allowsRequest(at: t0.addingTimeInterval(10))
        #expect(allowed3)
        #expect(breaker.state == .halfOpen)
        let allowed4 = breaker.allowsRequest(at: t0.addingTimeInterval(10))
        #expect(!allowed4, "only one probe at a time")
        breaker.recordSuccess()
        #expect(breaker.state == .closed)
        #expect(breaker.consecutiveFailures == 0)
        let allowed5 = breaker.allowsRequest(at: t0.addingTimeInterval(10))
        #expect(allowed5)
    }

    @Test("a failed probe opens the breaker again for another openFor")
    func halfOpen_probeFails() {
        var breaker = CircuitBreaker(threshold: 5, openFor: 10)
        for _ in 0..<5 { breaker.recordFailure(at: t0) }
        let allowed6 = breaker.allowsRequest(at: t0.addingTimeInterval(11))
        #expect(allowed6)
        breaker.recordFailure(at: t0.addingTimeInterval(11))
        #expect(breaker.state == .open)
        let allowed7 = breaker.allowsRequest(at: t0.addingTimeInterval(20))
        #expect(!allowed7)
        let allowed8 = breaker.allowsRequest(at: t0.addingTimeInterval(21))
        #expect(allowed8)
    }
}
