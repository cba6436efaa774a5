import Foundation
import LGSPAPI
import LGSPClient
import LGSPCore
import LGSPTesting
import Synchronization
import Testing

/// Several `lgsp serve` processes acting as one hub (Article 5.6): one database, one shared data
/// folder, a node killed with SIGKILL in the middle of a run. On PostgreSQL (`LGSP_TEST_POSTGRES_URL`,
/// a database of its own per test; without it the PostgreSQL cases are skipped, or fail when
/// `LGSP_REQUIRE_INTEROP=1`), and on one SQLite file shared by the processes of one machine.
@Suite("Cluster of hub nodes", .serialized)
struct ClusterTests {
    enum Backend: String, CaseIterable, CustomTestStringConvertible {
        case postgres, sqlite
        var testDescription: String { rawValue }
    }

    /// A database for the test, or nil when the backend is missing (skipped, or failed when required).
    static func database(_ backend: Backend) async throws -> (url: String?, scratch: PostgresScratchDatabase?)? {
        switch backend {
        case .sqlite: return (nil, nil)
        case .postgres:
            if let scratch = try await PostgresScratchDatabase.create("cluster") { return (scratch.url, scratch) }
            if ExternalTools.interopRequired {
                Issue.record("LGSP_TEST_POSTGRES_URL is not set although LGSP_REQUIRE_INTEROP=1 (run the tests through scripts/with-test-services.sh)")
            }
            return nil
        }
    }

    @Test(
        "3 nodes, senders and receivers on different nodes, one node killed mid-run: every packet delivered and acked once, no event lost",
        .timeLimit(.minutes(3)), arguments: Backend.allCases)
    func killOneNode(_ backend: Backend) async throws {
        guard let (url, scratch) = try await Self.database(backend) else { return }
        let cluster = try await HubCluster.start(
            nodes: 3, database: url,
            environment: ["LGSP_CLUSTER_LEASE_SECONDS": "1.5", "LGSP_REALTIME_HEARTBEAT_SECONDS": "1", "LGSP_LOG_LEVEL": "info"])
        defer { cluster.shutdown() }
        defer { if let scratch { Task { await scratch.drop() } } }
        let directory = try await ClusterDirectory.make(try cluster.adminClient())
        let alive = AliveNodes(cluster.names.map { cluster.node($0).url })
        let victim = cluster.node("node-3").url

        // Receiver i streams from node i+1: the third one from the node that will die.
        let receivers = directory.receivers.enumerated().map { index, credential in
            ClusterReceiver(credential: credential, alive: alive, home: cluster.node("node-\(index + 1)").url)
        }
        for receiver in receivers { receiver.startStream(from: receiver.home, lastEventID: nil) }
        for receiver in receivers { try await receiver.waitForSnapshot() }

        // Senders spread their packets over the nodes; node-3 is killed once a third are sent.
        let perSender = 12
        let total = perSender * directory.senders.count
        let sent = ClusterLocked<[PacketID: Int]>([:])  // packet → receiver index
        try await withThrowingTaskGroup(of: Void.self) { group in
            for (senderIndex, sender) in directory.senders.enumerated() {
                group.addTask {
                    for k in 0..<perSender {
                        let target = (senderIndex + k) % receivers.count
                        let id = try await alive.attempt(startingAt: senderIndex + k) { url in
                            try await LGSPClient(url: url, accessKey: sender.accessKey, secretKey: sender.secretKey).send(
                                to: [ClusterDirectory.receiverUnits[target]], subject: "Công văn \(senderIndex)-\(k)", dataType: "edoc",
                                data: Data("nội dung \(senderIndex)-\(k)".utf8), idempotencyKey: "cluster-\(senderIndex)-\(k)"
                            ).id
                        }
                        sent.withLock { $0[id] = target }
                    }
                }
            }
            group.addTask {
                while sent.withLock({ $0.count }) < total / 3 { try await Task.sleep(for: .milliseconds(20)) }
                cluster.node("node-3").kill()
                alive.remove(victim)
                // Its receiver comes back through another node, resuming after the last event it saw.
                let orphan = receivers[2]
                orphan.stopStream()
                orphan.startStream(from: try #require(alive.urls.first), lastEventID: orphan.lastEventID)
            }
            try await group.waitForAll()
        }
        let expected = sent.withLock { $0 }
        #expect(expected.count == total, "every send completed with its own packet (idempotent retries on another node)")

        for (index, receiver) in receivers.enumerated() {
            let mine = Set(expected.filter { $0.value == index }.keys)
            try await receiver.waitUntilDone(mine, log: { cluster.log("node-\(index + 1)") })
            let events = receiver.events
            #expect(Set(events.compactMap { $0.available?.packetId }) == mine, "receiver \(index) heard of each of its packets")
            #expect(events.compactMap { $0.available?.packetId }.count == mine.count, "receiver \(index) heard of each packet once")
            #expect(events.map(\.id) == events.map(\.id).sorted() && Set(events.map(\.id)).count == events.count, "\(events.map(\.id))")
        }
        #expect(receivers[2].streams == 2, "the third receiver resumed on another node")

        // Exactly once, as the hub recorded it: one `delivered` transition per delivery.
        let admin = try LGSPClient(url: alive.urls[0], accessKey: cluster.node("node-1").admin.accessKey, secretKey: cluster.node("node-1").admin.secretKey)
        for (id, target) in expected {
            let receiver = directory.receivers[target]
            let packet = try await LGSPClient(url: alive.urls[0], accessKey: receiver.accessKey, secretKey: receiver.secretKey).packet(id)
            let delivery = try #require(packet.deliveries.first)
            #expect(delivery.state == .delivered, "\(id)")
            #expect(delivery.history?.filter { $0.state == .delivered }.count == 1, "\(id): \(delivery.history ?? [])")
        }

        // The dead node's streams are closed once its lease has lapsed (1.5 s), by a surviving node.
        let orphanKey = directory.receivers[2].accessKey
        var nodes: [String?] = []
        for _ in 0..<150 {
            nodes = try await admin.presence(of: orphanKey).apps.first?.connections.map(\.node) ?? []
            if !nodes.contains("node-3") { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(!nodes.contains("node-3") && nodes.count == 1, "open connections of the orphan: \(nodes)")
        for receiver in receivers { receiver.stopStream() }
    }

    @Test("a stream on one node hears of a packet accepted by another node within 2 s, long before its 30 s heartbeat", .timeLimit(.minutes(2)))
    func crossNodeWakeUp() async throws {
        guard let (url, scratch) = try await Self.database(.postgres) else { return }
        let cluster = try await HubCluster.start(nodes: 2, database: url, environment: ["LGSP_REALTIME_HEARTBEAT_SECONDS": "30"])
        defer { cluster.shutdown() }
        defer { if let scratch { Task { await scratch.drop() } } }
        let directory = try await ClusterDirectory.make(try cluster.adminClient())
        let alive = AliveNodes(cluster.names.map { cluster.node($0).url })
        let receiver = ClusterReceiver(credential: directory.receivers[0], alive: alive, home: cluster.node("node-2").url, process: false)
        receiver.startStream(from: receiver.home, lastEventID: nil)
        defer { receiver.stopStream() }
        try await receiver.waitForSnapshot()
        let sender = directory.senders[0]
        let client = LGSPClient(url: cluster.node("node-1").url, accessKey: sender.accessKey, secretKey: sender.secretKey)
        for round in 1...3 {
            let started = ContinuousClock.now
            let packet = try await client.send(to: [ClusterDirectory.receiverUnits[0]], subject: "Khẩn \(round)", dataType: "edoc", data: Data("x".utf8))
            try await receiver.waitForEvent(of: packet.id, timeout: .seconds(10))
            let elapsed = ContinuousClock.now - started
            #expect(elapsed < .seconds(2), "round \(round): the event reached the other node's stream after \(elapsed)")
        }
    }
}

extension ClusterTests {
    @Test("/readyz: 503 naming the database while PostgreSQL refuses the node, 200 again once it is back; /healthz stays 200", .timeLimit(.minutes(2)))
    func readinessFollowsDatabase() async throws {
        guard let (url, scratch) = try await Self.database(.postgres), let scratch else { return }
        let cluster = try await HubCluster.start(nodes: 1, database: url)
        defer { cluster.shutdown() }
        defer { Task { await scratch.drop() } }
        let node = cluster.node("node-1")
        #expect(try await Self.get(node.url + "/readyz").status == 200)

        // The database goes away for this node: new connections refused, open ones cut.
        try await scratch.executeOnServer("ALTER DATABASE \(scratch.databaseName) ALLOW_CONNECTIONS false")
        try await scratch.executeOnServer(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '\(scratch.databaseName)' AND pid <> pg_backend_pid()")
        let started = ContinuousClock.now
        let refused = try await Self.get(node.url + "/readyz")
        #expect(refused.status == 503, "\(refused.body)")
        #expect(refused.body.contains("server.unavailable") && refused.body.contains("database"), "\(refused.body)")
        #expect(ContinuousClock.now - started < .seconds(15), "a load balancer's check gets its answer in time")
        #expect(try await Self.get(node.url + "/healthz").status == 200, "the process itself is alive")

        try await scratch.executeOnServer("ALTER DATABASE \(scratch.databaseName) ALLOW_CONNECTIONS true")
        var status = 0
        for _ in 0..<100 {
            status = try await Self.get(node.url + "/readyz").status
            if status == 200 { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(status == 200, "ready again once the database is back")
    }

    /// An unsigned GET: the status and body.
    static func get(_ url: String) async throws -> (status: Int, body: String) {
        let result = try await ExternalTools.run(
            try #require(ExternalTools.curl, "curl is needed"), ["-s", "-m", "30", "-o", "-", "-w", "\n%{http_code}", url])
        let lines = result.text.split(separator: "\n", omittingEmptySubsequences: false)
        return (Int(lines.last ?? "") ?? 0, lines.dropLast().joined(separator: "\n"))
    }
}

/// A value shared by the tasks of a test.
final class ClusterLocked<Value: Sendable>: Sendable {
    private let value: Mutex<Value>
    init(_ value: Value) { self.value = Mutex(value) }
    func withLock<T>(_ body: (inout Value) -> T) -> T { value.withLock { body(&$0) } }
}

/// Three sending departments and three receiving wards, one app each; every sender may send `edoc` to the wards.
struct ClusterDirectory {
    static let senderUnits = ["000.00.02.H24", "000.00.03.H24", "000.00.04.H24"]
    static let receiverUnits = ["000.00.31.H24", "000.00.32.H24", "000.00.33.H24"]
    var senders: [CredentialResponse] = []
    var receivers: [CredentialResponse] = []

    static func make(_ admin: LGSPClient) async throws -> ClusterDirectory {
        _ = try await admin.addUnit(code: "000.00.00.H24", name: "Ủy ban nhân dân thành phố Hải Phòng")
        var directory = ClusterDirectory()
        for (index, code) in senderUnits.enumerated() {
            _ = try await admin.addUnit(code: code, name: "Sở \(index)", parent: "000.00.00.H24")
            let app = try await admin.createApp(unit: code, name: "Văn bản Sở \(index)", receives: ["edoc"])
            _ = try await admin.addGrant(app: app.accessKey, sendTo: "*.H24", dataType: "edoc")
            directory.senders.append(app)
        }
        for (index, code) in receiverUnits.enumerated() {
            _ = try await admin.addUnit(code: code, name: "Phường \(index)", parent: "000.00.00.H24")
            directory.receivers.append(try await admin.createApp(unit: code, name: "Một cửa Phường \(index)", receives: ["edoc"]))
        }
        return directory
    }
}

/// The nodes still running, as the load balancer of a test sees them.
final class AliveNodes: Sendable {
    private let list: Mutex<[String]>

    init(_ urls: [String]) { list = Mutex(urls) }

    var urls: [String] { list.withLock { $0 } }
    func remove(_ url: String) { list.withLock { $0.removeAll { $0 == url } } }

    /// Runs `body` on a node (the `index`-th alive one), moving to the next node on failure, for up to 30 s.
    func attempt<T: Sendable>(startingAt index: Int, _ body: @escaping @Sendable (String) async throws -> T) async throws -> T {
        var offset = index
        var errors: [String] = []
        let deadline = ContinuousClock.now + .seconds(30)
        while true {
            let urls = self.urls
            let url = urls[offset % urls.count]
            do {
                // A node that died under a request: the HTTP client would retry connecting until its own deadline.
                return try await withThrowingTaskGroup(of: T?.self) { group in
                    group.addTask { try await body(url) }
                    group.addTask {
                        try await Task.sleep(for: .seconds(5))
                        return nil
                    }
                    defer { group.cancelAll() }
                    guard let value = try await group.next() ?? nil else { throw TimedOut(message: "no answer within 5 s") }
                    return value
                }
            } catch {
                errors.append("\(url): \(error)")
                if ContinuousClock.now > deadline { throw TimedOut(message: "no node succeeded in 30 s: \(errors.suffix(6))") }
                offset += 1
                try await Task.sleep(for: .milliseconds(50))
            }
        }
    }
}

/// A receiving app: streams its events from one node; for each `packet.available` accepts, downloads
/// and acknowledges the packet through any live node (failing over when a node dies).
final class ClusterReceiver: Sendable {
    struct State: Sendable {
        var events: [StreamEvent] = []
        var snapshots = 0
        var streams = 0
        var done: Set<PacketID> = []
        var failures: [String] = []
    }

    let credential: CredentialResponse
    let alive: AliveNodes
    let home: String
    let process: Bool
    /// Shared with the worker and stream tasks.
    final class Shared: Sendable {
        let state = Mutex(State())
        func withLock<T>(_ body: (inout State) -> T) -> T { state.withLock { body(&$0) } }
    }

    private let state = Shared()
    private let streamTask = Mutex<Task<Void, Never>?>(nil)
    private let work: AsyncStream<PacketID>.Continuation
    private let worker: Task<Void, Never>

    init(credential: CredentialResponse, alive: AliveNodes, home: String, process: Bool = true) {
        self.credential = credential
        self.alive = alive
        self.home = home
        self.process = process
        let (queue, continuation) = AsyncStream<PacketID>.makeStream()
        work = continuation
        let state = self.state
        worker = Task {
            for await id in queue {
                do {
                    try await alive.attempt(startingAt: 0) { url in
                        try await Self.receive(id, client: LGSPClient(url: url, accessKey: credential.accessKey, secretKey: credential.secretKey))
                    }
                    state.withLock { _ = $0.done.insert(id) }
                } catch {
                    state.withLock { $0.failures.append("\(id): \(error)") }
                }
            }
        }
    }

    deinit {
        worker.cancel()
        work.finish()
    }

    /// Accept, download, acknowledge; a retry after a lost answer finds the delivery further on and goes on from there.
    static func receive(_ id: PacketID, client: LGSPClient) async throws {
        let delivery = try #require(try await client.packet(id).deliveries.first)
        if delivery.state == .delivered { return }
        if delivery.state != .accepted { _ = try await client.accept(id) }
        let data = try await client.download(id)
        _ = try await client.acknowledge(id, sha256: ContentDigest.of(data).hex)
    }

    var events: [StreamEvent] { state.withLock { $0.events } }
    var streams: Int { state.withLock { $0.streams } }
    var lastEventID: Int64? { state.withLock { $0.events.last?.id } }

    func startStream(from url: String, lastEventID: Int64?) {
        let client = LGSPClient(url: url, accessKey: credential.accessKey, secretKey: credential.secretKey)
        let stream = client.events(
            lastEventID: lastEventID,
            options: EventStreamOptions(initialDelay: .milliseconds(100), maximumDelay: .milliseconds(500), idleTimeout: .seconds(60)))
        state.withLock { $0.streams += 1 }
        let (state, work, process) = (self.state, self.work, self.process)
        let task = Task {
            do {
                for try await message in stream {
                    switch message {
                    case .snapshot: state.withLock { $0.snapshots += 1 }
                    case .event(let event):
                        state.withLock { $0.events.append(event) }
                        if process, let id = event.available?.packetId { work.yield(id) }
                    }
                }
            } catch {
                state.withLock { $0.failures.append("stream: \(error)") }
            }
        }
        streamTask.withLock { $0 = task }
    }

    func stopStream() { streamTask.withLock { $0?.cancel() } }

    func waitForSnapshot() async throws {
        try await wait("a snapshot", timeout: .seconds(30)) { $0.snapshots >= $0.streams }
    }

    func waitForEvent(of id: PacketID, timeout: Duration) async throws {
        try await wait("packet.available for \(id)", timeout: timeout) { $0.events.contains { $0.available?.packetId == id } }
    }

    func waitUntilDone(_ packets: Set<PacketID>, log: () -> String) async throws {
        do {
            try await wait("\(packets.count) packets received and acknowledged", timeout: .seconds(60)) { packets.isSubset(of: $0.done) }
        } catch {
            Issue.record("\(error)\n\(log())")
            throw error
        }
    }

    private func wait(_ what: String, timeout: Duration, _ condition: (State) -> Bool) async throws {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if state.withLock({ state in condition(state) }) { return }
            try await Task.sleep(for: .milliseconds(20))
        }
        let seen = state.withLock { "\($0.events.count) events, \($0.done.count) done, failures \($0.failures)" }
        throw TimedOut(message: "timed out waiting for \(what): \(seen)")
    }
}
