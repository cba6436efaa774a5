import ArgumentParser
import AsyncHTTPClient
import Foundation
import HTTPTypes
import HummingbirdWSClient
import LGSPAPI
import LGSPAuth
import LGSPClient
import LGSPCore
import Logging
import Synchronization

/// `lgsp bench notify`: notification latency (Article 8.4) against a running hub, from "upload
/// complete" to the destination's WebSocket event.
///
/// The bench registers a unit pair, a source app and a destination app of its own (fresh codes each
/// run). The destination holds a signed WebSocket on `GET /v1/stream` and waits for its snapshot;
/// then the source sends small packets at a steady rate (an open loop: packet *n* starts at
/// start + n / rate, whatever the previous ones are doing), by create + upload or, with `--inline`,
/// the one-request form. A packet's sample is the time from the moment the sender received the
/// answer to the request that completed its content (the upload, or the one request) to the moment
/// the matching `packet.available` message was read from the WebSocket. Both moments are taken in
/// this process with the monotonic clock (`ContinuousClock`). The hub usually has the event on its
/// way before its HTTP answer is written, so a sample can be negative: the event won.
///
/// Also reported: request start → event (an upper bound that includes the upload itself), the
/// upload request's own latency, and the hub's part, from the event's `at` (the hub's time when it
/// recorded the upload, millisecond precision) to the message's arrival, on the wall clock, which is
/// the same clock when hub and bench share the machine.
struct NotifyBenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "notify",
        abstract: "Notification latency: upload complete → packet.available on the destination's WebSocket, at a steady packet rate.")

    @OptionGroup var client: ClientOptions
    @Option(help: "Packets per second the source sends (steady, open loop).") var rate = 50.0
    @Option(help: "Seconds measured (after the warm-up).") var duration = 10.0
    @Option(name: .customLong("warm-up"), help: "Seconds of unmeasured packets first.") var warmUp = 2.0
    @Option(help: "Content size of the packets, in bytes.") var size = 256
    @Flag(help: "Use the one-request form (content inline) instead of create + upload.") var inline = false
    @Option(name: .customLong("max-in-flight"), help: "Packets whose requests may be outstanding at once; a tick beyond it is skipped (and counted).")
    var maxInFlight = 64
    @Option(name: .customLong("late-ms"), help: "An event later than this (ms after upload complete) counts as late.") var lateMillis = 1000.0
    @Option(help: "Seconds to wait for outstanding events after the last packet before counting them lost.") var grace = 3.0
    @Option(name: .customLong("hub-pid"), help: "The hub's process id (Linux): its CPU use is reported from /proc.") var hubPID: Int32?
    @Flag(help: "Print the results as JSON.") var json = false

    struct Distribution: Codable {
        var count: Int
        var p50: Double
        var p90: Double
        var p99: Double
        var max: Double
        var min: Double

        init(_ values: [Double]) {
            let sorted = values.sorted()
            func percentile(_ p: Double) -> Double { sorted.percentile(p) }
            count = sorted.count
            p50 = percentile(0.5)
            p90 = percentile(0.9)
            p99 = percentile(0.99)
            max = sorted.last ?? 0
            min = sorted.first ?? 0
        }
    }

    struct Targets: Codable {
        var p50Millis = 10.0
        var p99Millis = 50.0
    }

    struct Results: Codable {
        var form: String
        var contentBytes: Int
        var requestedRate: Double
        var seconds: Double
        /// Measured packets whose content the hub confirmed.
        var sent: Int
        var achievedRate: Double
        var sendFailures: Int
        /// Ticks skipped because `maxInFlight` requests were outstanding.
        var skippedTicks: Int
        /// Upload complete (answer received) → `packet.available` received, ms; negative: the event came first.
        var latencyMillis: Distribution
        var eventBeforeAnswer: Int
        /// Request start → event received, ms (includes the upload request itself).
        var requestStartToEventMillis: Distribution
        /// The request that completed the content (upload, or the one request): start → answer, ms.
        var uploadRequestMillis: Distribution
        /// Event `at` (hub wall clock, ms precision) → message received (wall clock), ms.
        var hubAtToReceivedMillis: Distribution
        var lost: Int
        var late: Int
        var lateThresholdMillis: Double
        var duplicates: Int
        var unmatchedEvents: Int
        var cpu: ProxyBenchCommand.CPUUse?
        var hubResidentMB: Double?
        var targets = Targets()
    }

    func run() async throws {
        guard rate > 0, duration > 0, warmUp >= 0 else { throw ValidationError("--rate and --duration must be positive, --warm-up not negative") }
        try await reportingFailures {
            let http = HTTPClient(configuration: .init(
                connectionPool: .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: max(maxInFlight, 1) * 2)))
            do {
                let results = try await measure(http: http)
                try await http.shutdown()
                report(results)
            } catch {
                try? await http.shutdown()
                throw error
            }
        }
    }

    // MARK: Measuring

    private func measure(http: HTTPClient) async throws -> Results {
        let admin = try client.adminClient()
        let parties = try await NotifyBenchParties.make(admin: admin, url: client.hubURL, http: http)
        _ = try await parties.sender.synchronizeClock()
        let offset = try await parties.receiver.synchronizeClock()
        let tracker = NotifyTracker()
        let stream = try NotifyStream(hubURL: client.hubURL, signer: parties.receiverSigner, clockOffset: offset, tracker: tracker)
        let listener = stream.start()
        defer { listener.cancel() }
        guard await tracker.waitForSnapshot(timeout: .seconds(10)) else {
            listener.cancel()
            let failure = await Task { try await listener.value }.result
            throw LGSPClientError.invalidInput("the WebSocket on /v1/stream did not deliver its snapshot within 10 s\(failure.failureDescription)")
        }
        progress("WebSocket open; sending \(Int(rate)) packets/s for \(Int(warmUp)) s warm-up + \(Int(duration)) s")

        let payload = Data((0..<size).map { UInt8(truncatingIfNeeded: $0 &* 31) })
        let digest = ContentDigest.of(payload).hex
        let file = NSTemporaryDirectory() + "lgsp-bench-notify-\(UUID().uuidString).bin"
        try payload.write(to: URL(fileURLWithPath: file))
        defer { try? FileManager.default.removeItem(atPath: file) }

        let clock = ContinuousClock()
        let start = clock.now.advanced(by: .milliseconds(50))
        let measured = start.advanced(by: .seconds(warmUp))
        let end = measured.advanced(by: .seconds(duration))
        let interval = Duration.seconds(1 / rate)
        let counters = SendCounters()
        var skipped = 0
        let (sender, receiverUnit, inline, size) = (parties.sender, parties.receiverUnit, inline, size)
        var before: CPUSnapshot?
        var after: CPUSnapshot?
        await withTaskGroup(of: Void.self) { group in
            var tick = 0
            while true {
                let due = start.advanced(by: interval * tick)
                guard due < end else { break }
                try? await Task.sleep(until: due, clock: clock)
                if before == nil, due >= measured { before = CPUSnapshot.take(hubPID: hubPID) }
                tick += 1
                if counters.inFlight.load(ordering: .relaxed) >= maxInFlight {
                    if due >= measured { skipped += 1 }
                    continue
                }
                let counted = due >= measured
                counters.inFlight.add(1, ordering: .relaxed)
                group.addTask {
                    defer { counters.inFlight.subtract(1, ordering: .relaxed) }
                    do {
                        try await Self.sendOne(
                            sender: sender, to: receiverUnit, payload: payload, digest: digest, file: file, size: size, inline: inline,
                            measured: counted, tracker: tracker, clock: clock)
                    } catch {
                        let failed = counters.failures.add(1, ordering: .relaxed).newValue
                        if failed <= 3 { Output.error("send failed: \(error)") }
                    }
                }
            }
            try? await Task.sleep(until: end, clock: clock)
            after = CPUSnapshot.take(hubPID: hubPID)
            await group.waitForAll()
        }
        // Give the last events time to arrive, then stop listening.
        _ = await tracker.waitUntilMatched(timeout: .seconds(grace))
        listener.cancel()
        let sendSeconds = (end - measured).seconds
        var results = tracker.results(lateThreshold: lateMillis)
        results.form = inline ? "one request (content inline)" : "create + upload"
        results.contentBytes = size
        results.requestedRate = rate
        results.seconds = sendSeconds
        results.achievedRate = Double(results.sent) / sendSeconds
        results.sendFailures = counters.failures.load(ordering: .relaxed)
        results.skippedTicks = skipped
        results.cpu = CPUSnapshot.use(before, after, seconds: sendSeconds)
        if let status = try? await admin.hubStatus() { results.hubResidentMB = status.residentBytes.map { Double($0) / 1_048_576 } }
        return results
    }

    /// One packet: the request(s) that send it, with the moments the tracker needs.
    private static func sendOne(
        sender: LGSPClient, to receiverUnit: String, payload: Data, digest: String, file: String, size: Int, inline: Bool, measured: Bool,
        tracker: NotifyTracker, clock: ContinuousClock
    ) async throws {
        if inline {
            let started = clock.now
            let sent = try await sender.send(to: [receiverUnit], subject: "bench notify", dataType: "bench", data: payload)
            let answered = clock.now
            guard sent.state != .awaitingUpload else { throw LGSPClientError.invalidInput("packet \(sent.id) was not stored in one request") }
            tracker.answered(sent.id.rawValue, started: started, answered: answered, measured: measured)
        } else {
            let created = try await sender.createPacket(
                CreatePacketRequest(
                    to: [receiverUnit], subject: "bench notify", dataType: "bench",
                    content: ContentBody(size: Int64(size), sha256: digest, mediaType: "application/octet-stream")))
            let started = clock.now
            _ = try await sender.upload(created.id, file: file, size: Int64(size))
            let answered = clock.now
            tracker.answered(created.id.rawValue, started: started, answered: answered, measured: measured)
        }
    }

    private func progress(_ text: String) {
        if !json { Output.error("… " + text) }
    }

    // MARK: Output

    private func report(_ results: Results) {
        if json {
            try? Output.json(results)
            return
        }
        func line(_ name: String, _ d: Distribution) -> [String] {
            [name, "\(d.count)", String(format: "%.2f", d.p50), String(format: "%.2f", d.p90), String(format: "%.2f", d.p99), String(format: "%.2f", d.max)]
        }
        Output.line("lgsp bench notify — \(results.contentBytes)-byte packets, \(results.form), \(Int(results.requestedRate))/s requested, \(Int(results.seconds)) s measured")
        Output.line(String(format: "  sent %d (%.1f packets/s achieved), %d send failures, %d skipped ticks (more than %d in flight)",
            results.sent, results.achievedRate, results.sendFailures, results.skippedTicks, maxInFlight))
        Output.table(
            ["measure (ms)", "count", "p50", "p90", "p99", "max"],
            [
                line("upload complete → WebSocket event", results.latencyMillis),
                line("request start → WebSocket event", results.requestStartToEventMillis),
                line("upload request (start → answer)", results.uploadRequestMillis),
                line("hub: event at → received (wall clock, 1 ms)", results.hubAtToReceivedMillis),
            ])
        Output.line(String(format: "  events before the HTTP answer: %d of %d (negative samples)", results.eventBeforeAnswer, results.latencyMillis.count))
        Output.line(String(format: "  lost %d, late (> %.0f ms) %d, duplicates %d, events for unknown packets %d",
            results.lost, results.lateThresholdMillis, results.late, results.duplicates, results.unmatchedEvents))
        let targets = results.targets
        let d = results.latencyMillis
        Output.line(String(format: "target p50 < %.0f ms: %.2f ms — %@", targets.p50Millis, d.p50, d.p50 < targets.p50Millis && results.lost == 0 ? "met" : "NOT met"))
        Output.line(String(format: "target p99 < %.0f ms: %.2f ms — %@", targets.p99Millis, d.p99, d.p99 < targets.p99Millis && results.lost == 0 ? "met" : "NOT met"))
        if let cpu = results.cpu {
            Output.line(String(format: "CPU while sending: machine %.0f %% of %d cores busy; bench %.0f %% of one core%@", cpu.machineBusyPercent, cpu.cores,
                cpu.benchPercentOfCore, cpu.hubPercentOfCore.map { String(format: "; hub %.0f %% of one core", $0) } ?? ""))
        }
        if let resident = results.hubResidentMB { Output.line(String(format: "hub resident memory after the run: %.0f MB", resident)) }
    }
}

// MARK: - Matching answers and events

/// Requests outstanding, and failed sends (warm-up included).
final class SendCounters: Sendable {
    let inFlight = Atomic<Int>(0)
    let failures = Atomic<Int>(0)
}

/// The moments of each packet, written by the senders and the WebSocket reader, read at the end.
final class NotifyTracker: Sendable {
    struct Entry {
        var started: ContinuousClock.Instant?
        var answered: ContinuousClock.Instant?
        var measured = false
        var event: ContinuousClock.Instant?
        var hubLagMillis: Double?
        var events = 0
    }

    private struct State {
        var entries: [String: Entry] = [:]
        var snapshot = false
        var otherEvents = 0
    }

    private let state = Mutex(State())

    func snapshotReceived() { state.withLock { $0.snapshot = true } }

    func answered(_ id: String, started: ContinuousClock.Instant, answered: ContinuousClock.Instant, measured: Bool) {
        state.withLock {
            $0.entries[id, default: Entry()].started = started
            $0.entries[id, default: Entry()].answered = answered
            $0.entries[id, default: Entry()].measured = measured
        }
    }

    func event(_ id: String, at instant: ContinuousClock.Instant, hubLagMillis: Double?) {
        state.withLock {
            $0.entries[id, default: Entry()].events += 1
            if $0.entries[id]?.event == nil {
                $0.entries[id]?.event = instant
                $0.entries[id]?.hubLagMillis = hubLagMillis
            }
        }
    }

    func otherEvent() { state.withLock { $0.otherEvents += 1 } }

    func waitForSnapshot(timeout: Duration) async -> Bool {
        await poll(timeout: timeout) { $0.snapshot }
    }

    /// Waits until every answered packet has its event (or the timeout).
    func waitUntilMatched(timeout: Duration) async -> Bool {
        await poll(timeout: timeout) { state in state.entries.values.allSatisfy { $0.answered == nil || $0.event != nil } }
    }

    private func poll(timeout: Duration, _ condition: @Sendable (State) -> Bool) async -> Bool {
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: timeout)
        while clock.now < deadline {
            if state.withLock({ condition($0) }) { return true }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return state.withLock { condition($0) }
    }

    func results(lateThreshold: Double) -> NotifyBenchCommand.Results {
        state.withLock { state in
            var latency: [Double] = []
            var fromStart: [Double] = []
            var upload: [Double] = []
            var hub: [Double] = []
            var lost = 0
            var duplicates = 0
            var unmatched = 0
            for entry in state.entries.values {
                duplicates += max(0, entry.events - 1)
                guard let answered = entry.answered, let started = entry.started else {
                    unmatched += 1
                    continue
                }
                guard entry.measured else { continue }
                upload.append((answered - started).millis)
                guard let event = entry.event else {
                    lost += 1
                    continue
                }
                latency.append((event - answered).millis)
                fromStart.append((event - started).millis)
                if let lag = entry.hubLagMillis { hub.append(lag) }
            }
            return NotifyBenchCommand.Results(
                form: "", contentBytes: 0, requestedRate: 0, seconds: 0, sent: upload.count, achievedRate: 0, sendFailures: 0, skippedTicks: 0,
                latencyMillis: .init(latency), eventBeforeAnswer: latency.filter { $0 < 0 }.count,
                requestStartToEventMillis: .init(fromStart), uploadRequestMillis: .init(upload), hubAtToReceivedMillis: .init(hub),
                lost: lost, late: latency.filter { $0 > lateThreshold }.count, lateThresholdMillis: lateThreshold, duplicates: duplicates,
                unmatchedEvents: unmatched, cpu: nil)
        }
    }
}

extension Duration {
    fileprivate var millis: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) * 1000 + Double(attoseconds) / 1e15
    }
}

extension Result {
    fileprivate var failureDescription: String {
        if case .failure(let error) = self { return ": \(error)" }
        return ""
    }
}

// MARK: - The destination's WebSocket

/// The destination app's signed WebSocket on `GET /v1/stream` (hummingbird-websocket's client),
/// feeding the tracker: the arrival moment is taken before the message is decoded.
struct NotifyStream {
    let url: String
    let headers: HTTPFields
    let tracker: NotifyTracker

    init(hubURL: String, signer: SigV4Signer, clockOffset: TimeInterval, tracker: NotifyTracker) throws {
        let base = hubURL.hasSuffix("/") ? String(hubURL.dropLast()) : hubURL
        guard let components = URLComponents(string: base), let host = components.host, let scheme = components.scheme else {
            throw LGSPClientError.invalidInput("cannot read the hub URL '\(hubURL)'")
        }
        // The Host header the WebSocket client sends: host, and the port when the URL has one.
        let authority = components.port.map { "\(host):\($0)" } ?? host
        let target = "/v1/stream"
        let signable = SignableRequest(method: "GET", target: target, headers: [("host", authority)])
        var fields = HTTPFields()
        for header in signer.sign(signable, payloadHash: SigV4Canonical.emptyPayloadHash, date: Date().addingTimeInterval(clockOffset)) {
            if let name = HTTPField.Name(header.name) { fields[name] = header.value }
        }
        url = (scheme == "https" ? "wss" : "ws") + "://" + authority + target
        headers = fields
        self.tracker = tracker
    }

    /// Connects and reads until cancelled; the task's error says why the connection failed.
    func start() -> Task<Void, any Error> {
        let (url, headers, tracker) = (url, headers, tracker)
        var logger = Logger(label: "lgsp.bench.notify")
        logger.logLevel = .critical
        return Task {
            try await WebSocketClient.connect(
                url: url, configuration: .init(maxFrameSize: 1 << 22, additionalHeaders: headers), logger: logger
            ) { inbound, _, _ in
                let clock = ContinuousClock()
                let decoder = JSONDecoder()
                for try await message in inbound.messages(maxSize: 1 << 24) {
                    let arrived = clock.now
                    let wall = Date()
                    guard case .text(let text) = message else { continue }
                    guard let decoded = try? decoder.decode(StreamMessage.self, from: Data(text.utf8)) else { continue }
                    switch decoded.type {
                    case "snapshot":
                        tracker.snapshotReceived()
                    case "heartbeat":
                        break
                    case "packet.available":
                        guard let id = decoded.data?.packetId else { tracker.otherEvent(); continue }
                        let lag = decoded.at.flatMap(APICoding.parseDate).map { wall.timeIntervalSince($0) * 1000 }
                        tracker.event(id, at: arrived, hubLagMillis: lag)
                    default:
                        tracker.otherEvent()
                    }
                }
            }
        }
    }

    /// `{"type", "id", "at", "data": {"packetId", …}}`; the snapshot's data has no packet id.
    struct StreamMessage: Decodable {
        var type: String
        var at: String?
        var data: Payload?

        struct Payload: Decodable {
            var packetId: String?
        }
    }
}

// MARK: - Parties

/// The unit pair and apps a notification benchmark run creates (fresh codes each run); the
/// destination's credential is kept to sign its WebSocket upgrade.
struct NotifyBenchParties {
    let sender: LGSPClient
    let receiver: LGSPClient
    let receiverSigner: SigV4Signer
    let receiverUnit: String

    static func make(admin: LGSPClient, url: String, http: HTTPClient) async throws -> NotifyBenchParties {
        let level1 = try await BenchSupport.freshProvince(admin: admin, letter: "X", purpose: "notification-benchmark") { "Đo độ trễ thông báo \($0)" }
        let province = "000.00.00.\(level1)"
        let sourceUnit = "000.00.01.\(level1)"
        let receiverUnit = "000.00.02.\(level1)"
        _ = try await admin.addUnit(code: sourceUnit, name: "Nơi gửi \(level1)", parent: province)
        _ = try await admin.addUnit(code: receiverUnit, name: "Nơi nhận \(level1)", parent: province)
        let sender = try await admin.createApp(unit: sourceUnit, name: "bench notify sender", receives: [])
        let receiver = try await admin.createApp(unit: receiverUnit, name: "bench notify receiver", receives: ["bench"])
        _ = try await admin.addGrant(app: sender.accessKey, sendTo: receiverUnit, dataType: "bench")
        return NotifyBenchParties(
            sender: LGSPClient(url: url, accessKey: sender.accessKey, secretKey: sender.secretKey, retries: 0, httpClient: http),
            receiver: LGSPClient(url: url, accessKey: receiver.accessKey, secretKey: receiver.secretKey, httpClient: http),
            receiverSigner: SigV4Signer(accessKey: receiver.accessKey, secretKey: receiver.secretKey),
            receiverUnit: receiverUnit)
    }
}
