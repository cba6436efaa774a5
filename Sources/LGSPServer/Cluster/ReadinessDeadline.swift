import Foundation
import LGSPCore
import Synchronization

/// A readiness check that must answer within a deadline: a database that does not answer (a pool
/// waiting for a connection PostgreSQL refuses, a cut network) fails `/readyz` in time for the load
/// balancer's check, instead of holding the probe until the balancer gives up on it.
enum ReadinessDeadline {
    /// Seconds each `/readyz` check may take.
    static let seconds: Double = 3

    /// Runs `check`; throws `server.unavailable` when it takes longer than `seconds`. The late check
    /// is cancelled and left to finish on its own (a waiting query may not notice cancellation at once).
    static func run(_ what: String, _ check: @escaping @Sendable () async throws -> Void) async throws {
        let outcome = Mutex<CheckedContinuation<Void, any Error>?>(nil)
        let finish: @Sendable (Result<Void, any Error>) -> Void = { result in
            outcome.withLock { continuation in
                continuation?.resume(with: result)
                continuation = nil
            }
        }
        var tasks: [Task<Void, Never>] = []
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            outcome.withLock { $0 = continuation }
            tasks.append(Task { finish(await Result(catching: { try await check() })) })
            tasks.append(Task {
                try? await Task.sleep(for: .milliseconds(Int(seconds * 1000)))
                finish(.failure(LGSPError(.unavailable, "the \(what) did not answer within \(Int(seconds)) s")))
            })
        }
        for task in tasks { task.cancel() }
    }
}

extension Result where Failure == any Error {
    init(catching body: () async throws -> Success) async {
        do { self = .success(try await body()) } catch { self = .failure(error) }
    }
}
