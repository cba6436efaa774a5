import Foundation
import HTTPTypes
import Hummingbird
import LGSPAPI
import LGSPClient
import LGSPCore
import LGSPTesting
import NIOCore
import Synchronization
import Testing

/// `LGSPClient.events` against a real hub process over real HTTP: snapshot, live events,
/// reconnection after a hub crash (same port) with `Last-Event-ID`, explicit resumption, and
/// cancellation; `lgsp receive --follow` and `lgsp presence` as child processes.
@Suite("Client event stream", .serialized)
struct ClientStreamTests {
    static let environment = ["LGSP_REALTIME_HEARTBEAT_SECONDS": "1"]
    /// Quick reconnection, so a test waits for the hub rather than for backoff.
    static let options = EventStreamOptions(initialDelay: .milliseconds(100), maximumDelay: .milliseconds(500), idleTimeout: .seconds(5))

    @Test(
        "events(): snapshot, then packet.available; after a hub crash it reconnects by itself with Last-Event-ID, each event once and in order",
        .timeLimit(.minutes(3)))
    func subscribeReconnectResume() async throws {
        let data = try TemporaryFolder()
        defer { data.remove() }
        let hub = try await HubProcess.start(environment: Self.environment, data: data)
        defer { hub.kill() }
        let scenario = try await Scenario.make(hub)
        let source = scenario.client(scenario.source)
        let receiver = scenario.client(scenario.first)
        let waiting = try await source.send(to: [Scenario.firstUnit], subject: "W", dataType: "edoc", data: Data("W".utf8))

        let stream = StreamRecorder(receiver.events(options: Self.options))
        defer { stream.cancel() }
        try await stream.wait("the first snapshot") { $0.snapshots.count == 1 }
        let first = try #require(stream.snapshots.first)
        #expect(first.inbox.map(\.id) == [waiting.id], "the waiting packet is in the snapshot")
        let start = try #require(first.lastEventId, "the snapshot says where the stream starts")

        let packetA = try await source.send(to: [Scenario.firstUnit], subject: "A", dataType: "edoc", data: Data("A".utf8))
        try await stream.wait("packet.available for A") { $0.events.count >= 1 }
        #expect(stream.events.first?.kind == .packetAvailable)
        #expect(stream.events.first?.available?.packetId == packetA.id)
        #expect(stream.events.first?.available?.from.description == Scenario.sourceUnit)
        #expect(try #require(stream.events.first?.id) > start, "W's event came before the stream's start and is not yielded")

        // The hub crashes. While the client cannot reach it, the same data is served on another
        // port and B and C are sent: their events are stored while the client is away.
        hub.kill()
        let aside = try await HubProcess.start(environment: Self.environment, data: data)
        let asideSource = LGSPClient(url: aside.url, accessKey: scenario.source.accessKey, secretKey: scenario.source.secretKey)
        let packetB = try await asideSource.send(to: [Scenario.firstUnit], subject: "B", dataType: "edoc", data: Data("B".utf8))
        let packetC = try await asideSource.send(to: [Scenario.firstUnit], subject: "C", dataType: "edoc", data: Data("C".utf8))
        aside.stop()
        #expect(aside.port != hub.port)
        #expect(stream.events.count == 1 && stream.snapshots.count == 1, "nothing arrives while the hub is away")

        // Back on the original port: the client reconnects by itself and resumes after A.
        let restarted = try await Self.restart(data, port: hub.port)
        defer { restarted.kill() }
        try await stream.wait("the second snapshot and the events of B and C") { $0.snapshots.count == 2 && $0.events.count >= 3 }
        let second = stream.snapshots[1]
        #expect(second.lastEventId == stream.events.first?.id, "the reconnection sent Last-Event-ID = A's event")
        #expect(Set(second.inbox.map(\.id)).isSuperset(of: [packetB.id, packetC.id]), "B and C were waiting before the client came back")

        let packetD = try await source.send(to: [Scenario.firstUnit], subject: "D", dataType: "edoc", data: Data("D".utf8))
        try await stream.wait("packet.available for D") { $0.events.count >= 4 }
        try await Task.sleep(for: .seconds(2))  // two heartbeats: time for a duplicate to show
        let events = stream.events
        #expect(events.map { $0.available?.packetId } == [packetA.id, packetB.id, packetC.id, packetD.id], "each event once, in order")
        #expect(events.map(\.id) == events.map(\.id).sorted() && Set(events.map(\.id)).count == events.count, "\(events.map(\.id))")
        #expect(stream.snapshots.count == 2, "one snapshot per connection")
        #expect(stream.failure == nil)

        // Cancelling the consumer closes the connection (the hub records the stream's end).
        stream.cancel()
        try await Self.waitForConnections(source, accessKey: scenario.first.accessKey, count: 0)

        // A new subscription with the remembered id gets exactly what it missed.
        let lastSeen = try #require(events.last?.id)
        let packetE = try await source.send(to: [Scenario.firstUnit], subject: "E", dataType: "edoc", data: Data("E".utf8))
        let resumed = StreamRecorder(receiver.events(lastEventID: lastSeen, options: Self.options))
        defer { resumed.cancel() }
        try await resumed.wait("the resumed stream's snapshot and E") { $0.snapshots.count == 1 && $0.events.count >= 1 }
        #expect(resumed.snapshots.first?.lastEventId == lastSeen)
        #expect(resumed.events.map { $0.available?.packetId } == [packetE.id])
    }

    @Test("events() ends with the hub's error code when the subscription is refused for good", .timeLimit(.minutes(1)))
    func refusalEndsTheStream() async throws {
        let hub = try await HubProcess.start(environment: Self.environment)
        defer { hub.shutdown() }
        let scenario = try await Scenario.make(hub)
        let wrongSecret = LGSPClient(url: hub.url, accessKey: scenario.first.accessKey, secretKey: "not-the-secret")
        let refused = StreamRecorder(wrongSecret.events(options: Self.options))
        try await refused.wait("the stream to end") { $0.finished }
        #expect(refused.failure?.code == .signatureMismatch, "\(String(describing: refused.failure))")
        let admin = StreamRecorder(try hub.adminClient().events(options: Self.options))
        try await admin.wait("the stream to end") { $0.finished }
        #expect(admin.failure?.code == .forbidden, "an administrator has no feed: \(String(describing: admin.failure))")
        #expect(admin.failure.map { if case .problem(403, _) = $0 { true } else { false } } == true)
    }

    @Test("a connection that goes silent is dropped after idleTimeout and reopened with Last-Event-ID; a re-sent event is not yielded twice",
        .timeLimit(.minutes(1)))
    func silentConnection() async throws {
        let server = try await SilentEventServer.start()
        defer { server.stop() }
        let client = LGSPClient(url: server.url, accessKey: "LGSPTEST", secretKey: "secret")
        let options = EventStreamOptions(initialDelay: .milliseconds(50), maximumDelay: .milliseconds(100), idleTimeout: .milliseconds(800))
        let stream = StreamRecorder(client.events(options: options))
        defer { stream.cancel() }
        try await stream.wait("three connections") { $0.snapshots.count >= 3 && server.lastEventIDs.count >= 3 }
        #expect(Array(server.lastEventIDs.prefix(3)) == [nil, "6", "7"], "each reconnection resumes after the last event yielded")
        #expect(stream.events.map(\.id) == [6, 7], "event 6, sent again on every connection, is yielded once")
        #expect(stream.snapshots.prefix(3).map(\.lastEventId) == [5, 6, 7])
        let status = try #require(stream.events.first?.status)
        #expect(status.state == .delivered && status.recipient.description == Scenario.firstUnit)
        #expect(stream.events.first?.at == APICoding.parseDate("2026-11-29T08:00:00Z"))
        #expect(stream.events.first?.available == nil)
    }

    @Test(
        "lgsp receive --follow --ack --json takes the waiting packet, then each announced one, across a hub restart; SIGTERM stops it",
        .timeLimit(.minutes(3)))
    func receiveFollow() async throws {
        let data = try TemporaryFolder()
        defer { data.remove() }
        let hub = try await HubProcess.start(environment: Self.environment, data: data)
        defer { hub.kill() }
        let scenario = try await Scenario.make(hub)
        let source = scenario.client(scenario.source)
        let waiting = try await source.send(to: [Scenario.firstUnit], subject: "Chờ sẵn", dataType: "edoc", data: Data("chờ".utf8))

        let out = data.path + "/nhan"
        let follow = try ChildProcess(
            HubProcess.binaryPath, ["receive", "--out", out, "--ack", "--json", "--follow"],
            environment: ["LGSP_URL": hub.url, "LGSP_ACCESS_KEY": scenario.first.accessKey, "LGSP_SECRET_KEY": scenario.first.secretKey])
        defer { follow.kill() }
        let fromSnapshot = try await follow.line(1)
        #expect(fromSnapshot.packet.id == waiting.id && fromSnapshot.acknowledged)

        let live = Data("Công văn gửi khi đang theo dõi".utf8)
        let announced = try await source.send(to: [Scenario.firstUnit], subject: "Mới", dataType: "edoc", data: live)
        let received = try await follow.line(2)
        #expect(received.packet.id == announced.id)
        #expect(received.acknowledged)
        #expect(received.sha256 == ContentDigest.of(live).hex)
        #expect(FileManager.default.contents(atPath: received.file) == live)
        #expect(try await source.packet(announced.id).deliveries.map(\.state) == [.delivered], "the source sees its packet delivered")

        // The hub restarts on its port; the follower reconnects and takes what is sent next.
        hub.kill()
        let restarted = try await Self.restart(data, port: hub.port)
        defer { restarted.kill() }
        let afterRestart = try await source.send(to: [Scenario.firstUnit], subject: "Sau khi khởi động lại", dataType: "edoc", data: Data("r".utf8))
        #expect(try await follow.line(3).packet.id == afterRestart.id)

        let (reason, status) = try await follow.terminate()
        #expect(reason == .exit && status == 0, "SIGTERM stops it cleanly: \(follow.standardError)")
        #expect(follow.lines.count == 3, "one line per packet: \(follow.lines)")
        #expect(follow.standardError.contains("3 packet(s) received"), "\(follow.standardError)")
    }

    @Test(
        "lgsp presence shows the app online with its stream while lgsp receive --follow runs, and its stream closed after",
        .timeLimit(.minutes(2)))
    func presenceWhileFollowing() async throws {
        let hub = try await HubProcess.start(environment: Self.environment)
        defer { hub.shutdown() }
        let scenario = try await Scenario.make(hub)
        let asApp = ["LGSP_URL": hub.url, "LGSP_ACCESS_KEY": scenario.first.accessKey, "LGSP_SECRET_KEY": scenario.first.secretKey]
        let follow = try ChildProcess(HubProcess.binaryPath, ["receive", "--out", hub.data.path + "/nhan", "--follow"], environment: asApp)
        defer { follow.kill() }
        try await Self.waitForConnections(scenario.admin, accessKey: scenario.first.accessKey, count: 1)

        let byUnit = try await CLITests.lgsp(["presence", Scenario.firstUnit, "--url", hub.url, "--data", hub.dataPath])
        #expect(byUnit.status == 0, "\(byUnit.stderr)")
        #expect(byUnit.text.contains("\(Scenario.firstUnit): online"), "\(byUnit.text)")
        let row = try #require(byUnit.text.split(separator: "\n").first { $0.hasPrefix(scenario.first.accessKey) }, "\(byUnit.text)")
        #expect(row.contains("online") && row.contains("sse from"), "\(row)")

        // With the app's own credential, by access key, as JSON.
        let byKey = try await CLITests.lgsp(["presence", scenario.first.accessKey, "--json"], environment: asApp)
        #expect(byKey.status == 0, "\(byKey.stderr)")
        let presence = try APICoding.makeDecoder().decode(PresenceResponse.self, from: byKey.stdout)
        #expect(presence.online)
        #expect(presence.apps.map(\.accessKey) == [scenario.first.accessKey])
        #expect(presence.apps.first?.connections.map(\.channel) == ["sse"])

        // Every app, for an administrator: the follower online with one stream, the second ward's app never seen.
        let all = try await CLITests.lgsp(["presence", "--json", "--url", hub.url, "--data", hub.dataPath])
        let items = try APICoding.makeDecoder().decode(PresenceListResponse.self, from: all.stdout).items
        #expect(items.first { $0.accessKey == scenario.first.accessKey }?.connections.count == 1)
        #expect(items.first { $0.accessKey == scenario.second.accessKey }.map { !$0.online && $0.connections.isEmpty } == true)
        let table = try await CLITests.lgsp(["presence", "--url", hub.url, "--data", hub.dataPath])
        #expect(table.text.hasPrefix("APP ") && table.text.contains(scenario.second.accessKey), "\(table.text)")

        let (reason, status) = try await follow.terminate(signal: SIGINT)
        #expect(reason == .exit && status == 0, "SIGINT stops it cleanly: \(follow.standardError)")
        try await Self.waitForConnections(scenario.admin, accessKey: scenario.first.accessKey, count: 0)
        let after = try await CLITests.lgsp(["presence", scenario.first.accessKey, "--json", "--url", hub.url, "--data", hub.dataPath])
        #expect(try APICoding.makeDecoder().decode(PresenceResponse.self, from: after.stdout).apps.first?.connections.isEmpty == true)
    }

    /// Starts the hub again on the same data and port. The port was free a moment ago; should another
    /// process have taken it meanwhile, try again for a few seconds.
    static func restart(_ data: TemporaryFolder, port: Int) async throws -> HubProcess {
        var attempt = 1
        while true {
            do {
                let hub = try await HubProcess.start(arguments: ["--port", String(port)], environment: environment, data: data)
                #expect(hub.port == port)
                return hub
            } catch where attempt < 5 {
                attempt += 1
                try await Task.sleep(for: .seconds(1))
            }
        }
    }

    /// Waits until the app holds exactly `count` open streams at the hub (seen through the presence API).
    static func waitForConnections(_ client: LGSPClient, accessKey: String, count: Int) async throws {
        var held = -1
        for _ in 0..<400 {
            held = try await client.presence(of: accessKey).apps.first?.connections.count ?? 0
            if held == count { return }
            try await Task.sleep(for: .milliseconds(50))
        }
        Issue.record("app \(accessKey) holds \(held) stream(s), not \(count)")
    }
}

/// A stand-in for the hub's `GET /v1/events` that answers every connection with a snapshot (its
/// `lastEventId` echoing `Last-Event-ID`), event 6, event 7 from the second connection on, then
/// silence: no heartbeat, the connection open. It records each connection's `Last-Event-ID`.
struct SilentEventServer {
    let url: String
    let task: Task<Void, any Error>
    let log: Log

    final class Log: Sendable {
        let ids = Mutex<[String?]>([])
        let stopped = Atomic<Bool>(false)
    }

    var lastEventIDs: [String?] { log.ids.withLock { $0 } }

    static func start() async throws -> SilentEventServer {
        let log = Log()
        let router = Router()
        router.get("/v1/events") { request, _ -> Response in
            let lastEventID = request.headers[HTTPField.Name("Last-Event-ID")!]
            let connection = log.ids.withLock { ids in
                ids.append(lastEventID)
                return ids.count
            }
            let status = #"{"appId":"x","at":"2026-11-29T08:00:00Z","packetId":"01a226d6-da8d-7599-9a38-e91dd61bd49d","recipient":"000.00.31.H24","state":"delivered"}"#
            var text = "retry: 10\n\nevent: snapshot\ndata: {\"inbox\":[],\"sent\":[],\"lastEventId\":\(lastEventID ?? "5")}\n\n"
            text += "id: 6\nevent: packet.status\ndata: \(status)\n\n"
            if connection > 1 { text += "id: 7\nevent: packet.status\ndata: \(status)\n\n" }
            let body = ResponseBody { [text] writer in
                try await writer.write(ByteBuffer(string: text))
                while !log.stopped.load(ordering: .relaxed) { try await Task.sleep(for: .milliseconds(50)) }
                try await writer.finish(nil)
            }
            return Response(status: .ok, headers: [.contentType: "text/event-stream"], body: body)
        }
        let (ports, continuation) = AsyncStream<Int>.makeStream()
        let app = Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in continuation.yield(channel.localAddress?.port ?? 0) })
        let task = Task { try await app.runService(gracefulShutdownSignals: []) }
        var iterator = ports.makeAsyncIterator()
        let port = await iterator.next() ?? 0
        return SilentEventServer(url: "http://127.0.0.1:\(port)", task: task, log: log)
    }

    func stop() {
        log.stopped.store(true, ordering: .relaxed)
        task.cancel()
    }
}

/// A wait that ran out of time; what it waited for and what it saw.
struct TimedOut: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}

/// Consumes an event stream in a task of its own and keeps what it yielded, for a test to wait on.
final class StreamRecorder: Sendable {
    struct State: Sendable {
        var snapshots: [StreamSnapshot] = []
        var events: [StreamEvent] = []
        var failure: LGSPClientError?
        var otherFailure: String?
        var finished = false
    }

    private let state = Mutex(State())
    private let task = Mutex<Task<Void, Never>?>(nil)

    init(_ stream: AsyncThrowingStream<StreamMessage, any Error>) {
        let consumer = Task { [self] in
            do {
                for try await message in stream {
                    state.withLock { state in
                        switch message {
                        case .snapshot(let snapshot): state.snapshots.append(snapshot)
                        case .event(let event): state.events.append(event)
                        }
                    }
                }
                state.withLock { $0.finished = true }
            } catch let error as LGSPClientError {
                state.withLock { $0.failure = error; $0.finished = true }
            } catch {
                state.withLock { $0.otherFailure = "\(error)"; $0.finished = true }
            }
        }
        task.withLock { $0 = consumer }
    }

    var snapshots: [StreamSnapshot] { state.withLock { $0.snapshots } }
    var events: [StreamEvent] { state.withLock { $0.events } }
    var failure: LGSPClientError? { state.withLock { $0.failure } }

    func cancel() { task.withLock { $0?.cancel() } }

    /// Waits until `condition` holds; throws `TimedOut` (failing the test) after `timeout`.
    func wait(_ what: String, timeout: Duration = .seconds(30), _ condition: (State) -> Bool) async throws {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if state.withLock({ condition($0) }) { return }
            try await Task.sleep(for: .milliseconds(20))
        }
        let seen = state.withLock { state in
            "\(state.snapshots.count) snapshot(s), events \(state.events.map(\.id)), "
                + "failure \(state.failure.map { "\($0)" } ?? "none") \(state.otherFailure ?? "")"
        }
        throw TimedOut(message: "timed out waiting for \(what): \(seen)")
    }
}

/// A long-running `lgsp` child process whose standard output is read line by line while it runs.
final class ChildProcess: Sendable {
    /// One line of `lgsp receive --json`.
    struct Received: Decodable {
        var packet: InboxItem
        var file: String
        var sha256: String
        var acknowledged: Bool
    }

    private let process: Process
    private let output = Output()

    /// What the child printed, appended from the pipes' reader threads.
    final class Output: Sendable {
        private let text = Mutex((stdout: "", stderr: ""))

        func append(_ chunk: String, error: Bool) {
            text.withLock { text in
                if error { text.stderr += chunk } else { text.stdout += chunk }
            }
        }
        var stdout: String { text.withLock { $0.stdout } }
        var stderr: String { text.withLock { $0.stderr } }
    }

    init(_ executable: String, _ arguments: [String], environment: [String: String]) throws {
        process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("LGSP_") }.merging(environment) { $1 }
        let (stdout, stderr) = (Pipe(), Pipe())
        process.standardOutput = stdout
        process.standardError = stderr
        process.standardInput = FileHandle.nullDevice
        for (pipe, isError) in [(stdout, false), (stderr, true)] {
            pipe.fileHandleForReading.readabilityHandler = { [output] handle in
                let chunk = handle.availableData
                if chunk.isEmpty { handle.readabilityHandler = nil; return }
                output.append(String(decoding: chunk, as: UTF8.self), error: isError)
            }
        }
        try process.run()
    }

    /// Complete lines printed on standard output so far.
    var lines: [String] {
        var lines = output.stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        lines.removeLast()  // what follows the last line feed: empty, or a line still being written
        return lines.filter { !$0.isEmpty }
    }

    var standardError: String { output.stderr }

    /// Waits for the `number`th line (1-based) and decodes it as a `receive --json` line.
    func line(_ number: Int, timeout: Duration = .seconds(30)) async throws -> Received {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            let lines = lines
            if lines.count >= number { return try APICoding.makeDecoder().decode(Received.self, from: Data(lines[number - 1].utf8)) }
            if !process.isRunning { break }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw TimedOut(message: "no line \(number) from lgsp (running: \(process.isRunning)); stdout: \(lines) stderr: \(standardError)")
    }

    /// Sends `signal` and waits (up to 15 s) for the process to exit; returns how it ended.
    func terminate(signal: Int32 = SIGTERM) async throws -> (Process.TerminationReason, Int32) {
        Foundation.kill(process.processIdentifier, signal)
        let deadline = ContinuousClock.now + .seconds(15)
        while process.isRunning && ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(20)) }
        guard !process.isRunning else {
            kill()
            Issue.record("lgsp did not stop within 15 s of signal \(signal)")
            return (.uncaughtSignal, -1)
        }
        return (process.terminationReason, process.terminationStatus)
    }

    /// SIGKILL, if it still runs.
    func kill() {
        if process.isRunning {
            Foundation.kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }
}
