import Foundation
import Synchronization

/// A one-line progress bar on standard error for large transfers: percentage, bytes and rate.
/// It draws only when standard error is a terminal (or when forced) and at most ten times a second.
final class ProgressBar: Sendable {
    private let label: String
    private let enabled: Bool
    private let state = Mutex<(lastDraw: Date, started: Date)>((.distantPast, Date()))

    init(label: String, force: Bool = false) {
        self.label = label
        enabled = force || isatty(STDERR_FILENO) == 1
    }

    func update(_ done: Int64, _ total: Int64) {
        guard enabled else { return }
        let now = Date()
        let started: Date? = state.withLock { state in
            guard now.timeIntervalSince(state.lastDraw) >= 0.1 || done == total else { return nil }
            state.lastDraw = now
            return state.started
        }
        guard let started else { return }
        let fraction = total > 0 ? Double(done) / Double(total) : 0
        let width = 30
        let filled = Int(fraction * Double(width))
        let rate = Double(done) / max(now.timeIntervalSince(started), 0.001) / 1_000_000
        let bar = String(repeating: "=", count: filled) + (filled < width ? ">" : "") + String(repeating: " ", count: max(0, width - filled - 1))
        let text = String(format: "\r%@ [%@] %3.0f%% %.1f/%.1f MB %.1f MB/s", label, bar, fraction * 100, Double(done) / 1e6, Double(total) / 1e6, rate)
        FileHandle.standardError.write(Data(text.utf8))
        if done == total { FileHandle.standardError.write(Data("\n".utf8)) }
    }
}
