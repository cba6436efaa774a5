import Dispatch
import Foundation
import Synchronization

/// SIGINT and SIGTERM for long-running commands (`lgsp receive --follow`): the first signal cancels
/// the work so it can finish its current step and return; a second one exits at once (status 130).
enum TerminationSignals {
    /// Runs `body` until it returns, throws, or a signal cancels it; returns whether a signal stopped it.
    /// Errors thrown after a signal (the cancellation itself) are not rethrown.
    static func run(_ body: @escaping @Sendable () async throws -> Void) async throws -> Bool {
        let signalled = Flag()
        let task = Task { try await body() }
        let sources = [SIGINT, SIGTERM].map { number in
            signal(number, SIG_IGN)  // the dispatch source receives it instead of the default action
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler {
                if signalled.raise() { exit(130) }
                task.cancel()
            }
            source.resume()
            return source
        }
        defer {
            for source in sources { source.cancel() }
        }
        do {
            try await task.value
        } catch where signalled.isRaised {
        }
        return signalled.isRaised
    }

    private final class Flag: Sendable {
        private let raised = Atomic<Bool>(false)
        /// Raises the flag; returns whether it was raised already.
        func raise() -> Bool { raised.exchange(true, ordering: .relaxed) }
        var isRaised: Bool { raised.load(ordering: .relaxed) }
    }
}
