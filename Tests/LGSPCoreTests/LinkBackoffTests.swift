import Foundation
import LGSPCore
import Testing

/// The peer link's retry delays: exponential, jittered, capped.
@Suite("LinkBackoff")
struct LinkBackoffTests {
    @Test("the ceiling doubles per failure up to the cap", arguments: [(0, 0.0), (1, 0.5), (2, 1.0), (3, 2.0), (8, 60.0), (10_000, 60.0)])
    func ceiling_doublesAndCaps(failures: Int, expected: Double) {
        #expect(LinkBackoff(base: 0.5, maximum: 60).ceiling(afterFailures: failures) == expected)
    }

    @Test("the jitter stays within half the ceiling and the ceiling, and uses the whole range")
    func delay_staysInBounds() {
        let backoff = LinkBackoff(base: 1, maximum: 30)
        for failures in 1...12 {
            let top = backoff.ceiling(afterFailures: failures)
            let delays = (0..<200).map { _ in backoff.delay(afterFailures: failures) }
            #expect(delays.allSatisfy { $0 >= top / 2 && $0 <= top }, "failures \(failures)")
            #expect(Set(delays).count > 1, "jittered, not constant")
        }
        #expect(backoff.delay(afterFailures: 3) { $0.lowerBound } == 2)
        #expect(backoff.delay(afterFailures: 3) { $0.upperBound } == 4)
        #expect(backoff.delay(afterFailures: 0) == 0)
    }
}
