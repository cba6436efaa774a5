import Foundation
import LGSPCore
import Logging
import NIOSSL
import PostgresNIO
import Synchronization

/// Carries "these apps have new events" between the nodes of a hub with PostgreSQL's `LISTEN/NOTIFY`.
///
/// - Publishing: app ids are gathered and sent by one `pg_notify` per batch on the store's pool, after
///   the events were committed (the broker is told after `apply` returns). The payload is
///   `<node>\t<app id>,<app id>…`, or `<node>\t*` when the ids would not fit PostgreSQL's 8000-byte limit.
/// - Listening: a dedicated connection (not from the pool: a pooled connection is handed to others)
///   runs `LISTEN lgsp_events`; a `SELECT 1` every few seconds proves it alive. When it fails it is
///   opened again with backoff, and the first signal after every (re)connection is `.everything`:
///   notifications sent meanwhile are lost, so every stream re-reads the stored log, which stays the
///   source of truth.
/// - Signals a node published itself are dropped when they come back (its streams were woken already).
public final class PostgresEventFanout: EventFanout, Sendable {
    static let channel = "lgsp_events"
    static let payloadLimit = 7900

    let store: PostgresStore
    let node: String
    let logger: Logger
    private let pending = Mutex<Set<String>>([])
    private let doorbell: (stream: AsyncStream<Void>, continuation: AsyncStream<Void>.Continuation)
    private let received: (stream: AsyncStream<FanoutSignal>, continuation: AsyncStream<FanoutSignal>.Continuation)

    public init(store: PostgresStore, node: String, logger: Logger) {
        self.store = store
        self.node = node
        self.logger = logger
        doorbell = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
        received = AsyncStream<FanoutSignal>.makeStream(bufferingPolicy: .bufferingNewest(256))
    }

    public func publish(_ appIDs: Set<String>) async {
        guard !appIDs.isEmpty else { return }
        pending.withLock { $0.formUnion(appIDs) }
        doorbell.continuation.yield()
    }

    public func signals() -> AsyncStream<FanoutSignal> { received.stream }

    public func run() async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await self.sendLoop() }
            group.addTask { try await self.listenLoop() }
            defer { group.cancelAll() }
            try await group.next()
        }
    }

    /// The payloads for a set of app ids: as few as fit the limit, or one "everything" when a single id does not fit.
    public static func payloads(node: String, apps: Set<String>) -> [String] {
        let prefix = node + "\t"
        var payloads: [String] = []
        var current = ""
        for app in apps.sorted() {
            // An id that cannot fit even alone makes the whole signal "everything" (wherever it sorts).
            if prefix.utf8.count + app.utf8.count > payloadLimit { return [prefix + "*"] }
            if prefix.utf8.count + current.utf8.count + app.utf8.count + 1 > payloadLimit {
                payloads.append(prefix + current)
                current = ""
            }
            current += current.isEmpty ? app : "," + app
        }
        if !current.isEmpty { payloads.append(prefix + current) }
        return payloads
    }

    /// What a payload says, or nil when this node sent it (or it is not ours).
    public static func signal(payload: String, ownNode: String) -> FanoutSignal? {
        guard let tab = payload.firstIndex(of: "\t") else { return nil }
        guard payload[..<tab] != ownNode else { return nil }
        let body = payload[payload.index(after: tab)...]
        if body == "*" { return .everything }
        return .apps(Set(body.split(separator: ",").map(String.init)))
    }

    private func sendLoop() async throws {
        for await _ in doorbell.stream {
            let apps = pending.withLock { pending in
                defer { pending.removeAll() }
                return pending
            }
            for payload in Self.payloads(node: node, apps: apps) {
                do {
                    _ = try await store.client.query("SELECT pg_notify(\(Self.channel), \(payload))", logger: logger).collect()
                } catch {
                    // The other nodes will find the events at their streams' next heartbeat.
                    logger.warning("cannot notify the other nodes", metadata: ["error": "\(error)"])
                }
            }
        }
        try Task.checkCancellation()
    }

    private func listenLoop() async throws {
        var failures = 0
        while !Task.isCancelled {
            do {
                let connection = try await PostgresConnection.connect(
                    configuration: try store.url.connectionConfiguration(), id: Int.random(in: 1...Int.max), logger: logger)
                failures = 0
                try await listen(on: connection)
            } catch {
                if Task.isCancelled { break }
                failures += 1
                logger.warning("the event listener lost its database connection; reconnecting", metadata: ["error": "\(error)"])
            }
            try await Task.sleep(for: .milliseconds(min(5000, 100 << min(failures, 6))))
        }
    }

    /// Listens until the connection fails or the task is cancelled; closes the connection.
    private func listen(on connection: PostgresConnection) async throws {
        defer { Task { try? await connection.close() } }
        try await connection.listen(on: Self.channel) { notifications in
            // Anything published while this node was not listening is lost: every stream re-reads the log.
            received.continuation.yield(.everything)
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    for try await notification in notifications {
                        if let signal = Self.signal(payload: notification.payload, ownNode: self.node) { self.received.continuation.yield(signal) }
                    }
                    throw PostgresEventFanoutError.listenEnded
                }
                group.addTask {
                    while true {
                        try await Task.sleep(for: .seconds(5))
                        _ = try await connection.query("SELECT 1", logger: self.logger).collect()
                    }
                }
                defer { group.cancelAll() }
                try await group.next()
            }
        }
    }
}

/// The server ended the notification stream (the connection closed).
struct PostgresEventFanoutError: Error, CustomStringConvertible {
    static let listenEnded = PostgresEventFanoutError()
    var description: String { "the notification stream ended" }
}

extension PostgresURL {
    /// A single connection's configuration (the listener's), with the same TLS choice as the pool.
    func connectionConfiguration() throws -> PostgresConnection.Configuration {
        let tls: PostgresConnection.Configuration.TLS = requireTLS ? .require(try NIOSSLContext(configuration: .makeClientConfiguration())) : .disable
        return PostgresConnection.Configuration(host: host, port: port, username: username, password: password, database: database, tls: tls)
    }
}
