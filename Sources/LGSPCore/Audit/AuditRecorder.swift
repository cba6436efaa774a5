import Foundation
import Logging
import Synchronization

/// Collects audit records from the hot path without waiting for the disk, and writes them to the
/// `AuditLog` in batches (every `flushInterval`, or sooner when `batchSize` are waiting), followed by
/// a signed checkpoint of the head every `checkpointInterval`.
///
/// A crash loses at most the records of the last unflushed batch (by default the last 200 ms);
/// a graceful stop flushes and checkpoints. A failed write keeps the records for the next attempt.
public final class AuditRecorder: Sendable {
    public let log: any AuditLog
    let signer: AuditSigner?
    public let clock: any HubClock
    let flushInterval: Duration
    let batchSize: Int
    let checkpointInterval: TimeInterval
    let logger: Logger
    private let state = Mutex(State())

    private struct State {
        var pending: [AuditRecord] = []
        var lastCheckpoint: (sequence: Int64, at: Date)?
        var wake: CheckedContinuation<Void, Never>?
    }

    /// Records kept in memory at most while the log cannot be written (the oldest are dropped, logged).
    static let maximumPending = 100_000

    public init(
        log: any AuditLog, signer: AuditSigner?, clock: any HubClock, flushInterval: Duration = .milliseconds(200), batchSize: Int = 500,
        checkpointInterval: TimeInterval = 60, logger: Logger
    ) {
        self.log = log
        self.signer = signer
        self.clock = clock
        self.flushInterval = flushInterval
        self.batchSize = batchSize
        self.checkpointInterval = checkpointInterval
        self.logger = logger
    }

    /// Records queued and not yet written.
    public var pendingCount: Int { state.withLock { $0.pending.count } }

    /// Queues a record; never blocks on I/O.
    public func record(_ record: AuditRecord) {
        let wake: CheckedContinuation<Void, Never>? = state.withLock { state in
            state.pending.append(record)
            if state.pending.count > Self.maximumPending { state.pending.removeFirst(state.pending.count - Self.maximumPending) }
            guard state.pending.count >= batchSize, let wake = state.wake else { return nil }
            state.wake = nil
            return wake
        }
        wake?.resume()
    }

    /// Queues a record of `action` on `target` by whoever the current request is (`system` outside requests).
    public func record(_ action: String, target: String, outcome: String = "ok") {
        let scope = AuditScope.current
        record(
            AuditRecord(
                at: clock.now(), actor: scope?.actor ?? "system", action: action, target: target, outcome: outcome, source: scope?.source ?? "",
                requestID: scope?.requestID ?? ""))
    }

    /// Writes every queued record now, then a checkpoint if one is due (or `forceCheckpoint`).
    public func flush(forceCheckpoint: Bool = false) async throws {
        let batch = state.withLock { state in
            defer { state.pending = [] }
            return state.pending
        }
        if !batch.isEmpty {
            do {
                _ = try await log.append(batch)
            } catch {
                state.withLock { $0.pending.insert(contentsOf: batch, at: 0) }
                throw error
            }
        }
        try await checkpointIfDue(force: forceCheckpoint)
    }

    private func checkpointIfDue(force: Bool) async throws {
        guard let signer else { return }
        let now = clock.now()
        let last = state.withLock { $0.lastCheckpoint }
        if !force, let last, now.timeIntervalSince(last.at) < checkpointInterval { return }
        guard let head = try await log.head() else { return }
        if let last, last.sequence == head.sequence { return }
        try await log.addCheckpoint(try signer.checkpoint(head, at: now))
        state.withLock { $0.lastCheckpoint = (head.sequence, now) }
    }

    /// Flushes periodically until the task is cancelled, then flushes and checkpoints once more.
    public func run() async {
        if let stored = try? await log.checkpoints().last {
            state.withLock { $0.lastCheckpoint = (stored.sequence, stored.at) }
        }
        while !Task.isCancelled {
            await withTaskCancellationHandler {
                await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                    let ready = state.withLock { state in
                        if state.pending.count >= batchSize { return true }
                        state.wake = continuation
                        return false
                    }
                    if ready { continuation.resume() }
                    Task { [weak self, flushInterval] in
                        try? await Task.sleep(for: flushInterval)
                        self?.wakeUp()
                    }
                }
            } onCancel: {
                wakeUp()
            }
            if Task.isCancelled { break }
            await flushLogging(forceCheckpoint: false)
        }
        // The last flush runs in a task of its own: this one is cancelled (graceful shutdown), and the
        // database refuses work from a cancelled task, which lost the last batch at every stop.
        await Task { await self.flushLogging(forceCheckpoint: true) }.value
    }

    private func wakeUp() {
        let wake = state.withLock { state in
            defer { state.wake = nil }
            return state.wake
        }
        wake?.resume()
    }

    private func flushLogging(forceCheckpoint: Bool) async {
        do {
            try await flush(forceCheckpoint: forceCheckpoint)
        } catch {
            logger.error("audit log write failed; records kept for the next attempt", metadata: ["error": "\(error)"])
        }
    }
}
