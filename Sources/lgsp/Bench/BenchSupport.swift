import Foundation
import LGSPClient

/// What the `lgsp bench` commands share: rates of a tight loop, percentiles of sorted samples, and a
/// fresh province of test units per run.
enum BenchSupport {
    /// Operations per second of `body` over `duration` seconds, after a warm-up of a tenth of it,
    /// calling it `batch` times between clock reads.
    static func rate(duration: Double, batch: Int, _ body: () throws -> Void) throws -> Double {
        let clock = ContinuousClock()
        let warmUp = clock.now.advanced(by: .seconds(duration / 10))
        while clock.now < warmUp { try body() }
        var count = 0
        let start = clock.now
        let end = start.advanced(by: .seconds(duration))
        while clock.now < end {
            for _ in 0..<batch { try body() }
            count += batch
        }
        return Double(count) / (clock.now - start).seconds
    }

    /// Runs `workers` loops of `cycle` (given the worker's index) until `end`, timing each cycle; cycles
    /// started before `warmUp` are not measured. Returns the sorted latencies (ms) and the failures
    /// (the first three are printed).
    static func timedLoops(
        workers: Int, warmUp: Date, end: Date, _ cycle: @escaping @Sendable (Int) async throws -> Void
    ) async throws -> (sorted: [Double], failures: Int) {
        try await withThrowingTaskGroup(of: ([Double], Int).self) { group in
            for worker in 0..<workers {
                group.addTask {
                    var measured: [Double] = []
                    var failures = 0
                    while Date() < end {
                        let started = Date()
                        do {
                            try await cycle(worker)
                            if started >= warmUp { measured.append(Date().timeIntervalSince(started) * 1000) }
                        } catch {
                            failures += 1
                            if failures <= 3 { Output.error("cycle failed: \(error)") }
                        }
                    }
                    return (measured, failures)
                }
            }
            var all: [Double] = []
            var failures = 0
            for try await (measured, failed) in group {
                all += measured
                failures += failed
            }
            return (all.sorted(), failures)
        }
    }

    /// The level-1 code of a province code `000.00.00.<letter>NN` not yet in the directory, after
    /// registering it under `name` (each run gets its own units).
    static func freshProvince(admin: LGSPClient, letter: Character, purpose: String, name: (String) -> String) async throws -> String {
        let existing = Set(try await admin.units().map(\.code.rawValue))
        guard let province = (1...99).map({ String(format: "000.00.00.\(letter)%02d", $0) }).first(where: { !existing.contains($0) }) else {
            throw LGSPClientError.invalidInput("no free \(purpose) unit code left (\(letter)01–\(letter)99 all used)")
        }
        let level1 = String(province.suffix(3))
        _ = try await admin.addUnit(code: province, name: name(level1))
        return level1
    }
}

extension Array where Element == Double {
    /// The `p` quantile (0…1) of these samples, which must be sorted; 0 for none.
    func percentile(_ p: Double) -> Double {
        isEmpty ? 0 : self[Swift.min(count - 1, Int(Double(count) * p))]
    }
}

extension Duration {
    /// The duration in seconds, as a floating-point number.
    var seconds: Double {
        let (whole, attoseconds) = components
        return Double(whole) + Double(attoseconds) / 1e18
    }
}
