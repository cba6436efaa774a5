import AsyncHTTPClient
import Foundation
import LGSPAPI
import LGSPAuth
import LGSPCore
import NIOCore
import NIOFoundationCompat
import Synchronization

/// The loop behind ``LGSPClient/events(lastEventID:options:)``: connect, read, reconnect.
struct EventSubscription: Sendable {
    let client: LGSPClient
    let options: EventStreamOptions
    let progress: Progress
    let continuation: AsyncThrowingStream<StreamMessage, any Error>.Continuation

    /// What survives a connection: the last event yielded, and when the connection last showed life.
    final class Progress: Sendable {
        private let state: Mutex<(cursor: Int64?, lastActivity: ContinuousClock.Instant, snapshots: Int)>

        init(cursor: Int64?) { state = Mutex((cursor, .now, 0)) }

        var cursor: Int64? { state.withLock { $0.cursor } }
        var snapshots: Int { state.withLock { $0.snapshots } }
        func setCursor(_ value: Int64) { state.withLock { $0.cursor = value } }
        func snapshotReceived() { state.withLock { $0.snapshots += 1 } }
        func touch() { state.withLock { $0.lastActivity = .now } }
        var idle: Duration { state.withLock { ContinuousClock.now - $0.lastActivity } }
    }

    /// The connection showed no life for `idleTimeout`.
    struct IdleTimeout: Error, CustomStringConvertible {
        var description: String { "no data or heartbeat from the hub within the idle timeout" }
    }

    func run() async {
        var failures = 0
        var correctedClock = false
        while !Task.isCancelled {
            let snapshotsBefore = progress.snapshots
            let sentAt = Date()
            do {
                try await connectOnce()
                if Task.isCancelled { break }
                let cursor = progress.cursor.map(String.init) ?? "none"
                client.logger.info("event stream closed by the hub; reconnecting", metadata: ["lastEventId": "\(cursor)"])
            } catch let error as LGSPClientError {
                if !correctedClock, case .problem(401, let problem) = error, let offset = ClockSkew.offset(problem, sentAt: sentAt) {
                    client.clockOffset.withLock { $0 = offset }
                    correctedClock = true
                    continue
                }
                guard Self.isRetryable(error) else {
                    continuation.finish(throwing: error)
                    return
                }
                client.logger.info("event stream refused; retrying", metadata: ["error": "\(error)"])
            } catch {
                if Task.isCancelled { break }
                client.logger.info("event stream interrupted; reconnecting", metadata: ["error": "\(error)"])
            }
            if progress.snapshots > snapshotsBefore {
                failures = 0
                correctedClock = false
            }
            failures += 1
            do { try await Task.sleep(for: options.delay(attempt: failures)) } catch { break }
        }
        continuation.finish()
    }

    /// 408, 429 and 5xx answers are worth retrying; other refusals will not change by themselves.
    static func isRetryable(_ error: LGSPClientError) -> Bool {
        switch error {
        case .problem(let status, _), .unexpectedResponse(let status, _):
            return status == 408 || status == 429 || status >= 500
        case .contentDigestMismatch, .invalidInput:
            return false
        }
    }

    /// One connection: returns when the hub ends the stream; throws on refusal, transport failure or idleness.
    private func connectOnce() async throws {
        var headers = [("accept", "text/event-stream"), ("cache-control", "no-store")]
        if let cursor = progress.cursor { headers.append(("last-event-id", String(cursor))) }
        let request = try client.makeRequest(.GET, "/v1/events", query: [], body: Data(), signed: true, extraHeaders: headers)
        let response = try await client.http.execute(request, timeout: Self.timeAmount(options.connectTimeout))
        let status = Int(response.status.code)
        guard status == 200 else {
            throw LGSPClient.failure(status: status, body: Data(buffer: try await response.body.collect(upTo: 1 << 20)))
        }
        let contentType = response.headers.first(name: "content-type") ?? "no content type"
        guard contentType.lowercased().hasPrefix("text/event-stream") else {
            throw LGSPClientError.unexpectedResponse(status: status, body: "GET /v1/events answered \(contentType), not text/event-stream")
        }
        progress.touch()
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                var parser = ServerSentEventParser(maximumLineLength: options.maximumLineLength)
                for try await buffer in response.body {
                    progress.touch()
                    let events: [ServerSentEvent]
                    do { events = try parser.consume(buffer) } catch {
                        throw LGSPClientError.unexpectedResponse(status: status, body: "\(error)")
                    }
                    for event in events { try await deliver(event) }
                }
            }
            group.addTask {
                let step = options.idleTimeout / 4
                while true {
                    try await Task.sleep(for: step)
                    if progress.idle > options.idleTimeout { throw IdleTimeout() }
                }
            }
            // The first child to finish decides: the hub ended the stream, or the connection went idle.
            defer { group.cancelAll() }
            try await group.next()
        }
    }

    /// Yields a snapshot or a new event; skips events at or before the cursor (never twice).
    private func deliver(_ event: ServerSentEvent) async throws {
        if event.type == "snapshot" {
            let snapshot: StreamSnapshot
            do { snapshot = try APICoding.makeDecoder().decode(StreamSnapshot.self, from: Data(event.data.utf8)) } catch {
                throw LGSPClientError.unexpectedResponse(status: 200, body: "the stream's snapshot is not a snapshot: \(error)")
            }
            // Without a cursor, events continue after the hub's newest at connection time.
            if progress.cursor == nil, let start = snapshot.lastEventId { progress.setCursor(start) }
            progress.snapshotReceived()
            try await yield(.snapshot(snapshot))
            return
        }
        guard event.hasOwnID, let id = event.lastEventID.flatMap({ Int64($0) }) else {
            client.logger.debug("event without a numeric id ignored", metadata: ["type": "\(event.type ?? "message")"])
            return
        }
        if let cursor = progress.cursor, id <= cursor { return }
        let data = Data(event.data.utf8)
        let at = (try? APICoding.makeDecoder().decode(EventTime.self, from: data))?.at
        try await yield(.event(StreamEvent(id: id, type: event.type ?? "message", data: data, at: at)))
        progress.setCursor(id)
    }

    private struct EventTime: Decodable { var at: Date? }

    static func timeAmount(_ duration: Duration) -> TimeAmount {
        let (seconds, attoseconds) = duration.components
        return .nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }

    /// Hands a message to the consumer, waiting while its buffer is full (the connection is not read meanwhile).
    private func yield(_ message: StreamMessage) async throws {
        while true {
            switch continuation.yield(message) {
            case .enqueued:
                return
            case .dropped:
                try await Task.sleep(for: .milliseconds(20))
                progress.touch()
            case .terminated:
                throw CancellationError()
            @unknown default:
                throw CancellationError()
            }
        }
    }
}
