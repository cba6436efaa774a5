import ArgumentParser
import AsyncHTTPClient
import Foundation
import Hummingbird
import LGSPAPI
import LGSPClient
import LGSPCore
import Logging
import NIOCore

#if canImport(Glibc)
import Glibc
#endif

/// `lgsp bench proxy`: service calls through a running hub (Article 10 step 3) to a local echo
/// provider this command starts itself, beside direct calls to the same provider and nginx
/// `proxy_pass` to it, all measured in the same run with the same client loop.
///
/// The bench registers a unit pair, a consumer app, the echo service and a grant of its own (fresh
/// codes each run), gets a session token, then runs `--concurrency` callers for `--duration`
/// seconds against each target in turn: direct (async-http-client to the echo provider), nginx (if
/// found: a minimal configuration in a temporary folder, started and stopped here), and the hub
/// (`LGSPClient.callService`: SigV4-signed, with the session token). Added latency is the hub's
/// percentile minus the direct one. One caller per target is measured too (latency without load),
/// and the rate of session issuance over HTTP (`POST /v1/auth/sessions`).
struct ProxyBenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "proxy",
        abstract: "Authenticated service calls through a running hub to a local echo provider, beside direct calls and nginx proxy_pass.")

    @OptionGroup var client: ClientOptions
    @Option(help: "Concurrent callers per target.") var concurrency = 32
    @Option(help: "Seconds measured per target (after the warm-up).") var duration = 10.0
    @Option(name: .customLong("warm-up"), help: "Seconds of unmeasured calls before each measurement.") var warmUp = 2.0
    @Option(help: "Request body size in bytes (echoed back).") var size = 1024
    @Option(name: .customLong("single-duration"), help: "Seconds of one caller per target, for latency without load (0 skips).")
    var singleDuration = 3.0
    @Option(name: .customLong("session-duration"), help: "Seconds of session issuance over HTTP, POST /v1/auth/sessions (0 skips).")
    var sessionDuration = 3.0
    @Option(help: "The nginx binary (default: nginx on PATH, then /usr/sbin/nginx).") var nginx: String?
    @Option(name: .customLong("nginx-workers"), help: "nginx worker_processes variants to measure, comma-separated.")
    var nginxWorkers = "1,2"
    @Flag(name: .customLong("no-nginx"), help: "Skip the nginx baseline.") var noNginx = false
    @Option(name: .customLong("hub-pid"), help: "The hub's process id (Linux): its CPU time per call is reported from /proc.") var hubPID: Int32?
    @Flag(help: "Print the results as JSON.") var json = false

    struct Phase: Codable {
        var name: String
        var callers: Int
        var requests: Int
        var failures: Int
        var seconds: Double
        var requestsPerSecond: Double
        var latencyMillis: [String: Double]
        /// CPU use over the measured window (Linux, from /proc): the whole machine's busy share of all
        /// cores, this process (callers and echo provider) and the hub, in % of one core.
        var cpu: CPUUse?

        func percentile(_ name: String) -> Double { latencyMillis[name] ?? 0 }
    }

    struct CPUUse: Codable {
        var cores: Int
        var machineBusyPercent: Double
        var benchPercentOfCore: Double
        var hubPercentOfCore: Double?
        var hubMicrosPerRequest: Double?
    }

    struct Targets: Codable {
        var requestsPerSecond = 3_000.0
        var p99Millis = 150.0
        var shareOfNginx = 0.5
    }

    struct Results: Codable {
        var bodyBytes: Int
        var callers: Int
        var seconds: Double
        var nginxVersion: String?
        var nginxSkipped: String?
        var loaded: [Phase]
        var single: [Phase]
        var sessions: Phase?
        var hubResidentMB: Double?
        var hubPeakResidentMB: Double?
        var targets = Targets()
    }

    func run() async throws {
        try await reportingFailures {
            let workers = try nginxWorkers.split(separator: ",").map { text -> Int in
                guard let count = Int(text.trimmingCharacters(in: .whitespaces)), count > 0 else {
                    throw ValidationError("--nginx-workers takes positive numbers separated by commas, e.g. 1,2")
                }
                return count
            }
            let http = HTTPClient(configuration: .init(
                connectionPool: .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: max(concurrency, 1) * 2)))
            let echo = try await EchoProvider.start()
            // The client's connections close before the provider stops, so that it stops quietly.
            do {
                let results = try await measure(http: http, echo: echo, workers: workers)
                try await http.shutdown()
                await echo.stop()
                report(results)
            } catch {
                try? await http.shutdown()
                await echo.stop()
                throw error
            }
        }
    }

    private func measure(http: HTTPClient, echo: EchoProvider, workers: [Int]) async throws -> Results {
        let admin = try client.adminClient()
        let parties = try await ProxyBenchParties.make(admin: admin, url: client.hubURL, http: http, providerURL: echo.url)
        _ = try await parties.consumer.synchronizeClock()
        let payload = Data((0..<size).map { UInt8(truncatingIfNeeded: $0 &* 31) })
        let expected = payload.count
        var results = Results(bodyBytes: size, callers: concurrency, seconds: duration, loaded: [], single: [])

        // The same loop for every target: one POST of the payload, the echoed body read and checked.
        let direct: @Sendable () async throws -> Void = { try await Self.post(http, url: echo.url + "/echo", payload: payload) }
        progress("direct echo: \(concurrency) callers, \(Int(duration)) s")
        results.loaded.append(await Self.load("direct echo", callers: concurrency, warmUp: warmUp, duration: duration, direct))

        if noNginx {
            results.nginxSkipped = "--no-nginx"
        } else if let binary = NginxProcess.find(nginx) {
            results.nginxVersion = NginxProcess.version(binary)
            for count in workers {
                let process = try await NginxProcess.start(binary: binary, upstreamPort: echo.port, workers: count, http: http)
                let url = process.url
                progress("nginx proxy_pass, \(count) worker(s): \(concurrency) callers, \(Int(duration)) s")
                let call: @Sendable () async throws -> Void = { try await Self.post(http, url: url + "/echo", payload: payload) }
                results.loaded.append(await Self.load(
                    "nginx proxy_pass (\(count) worker\(count == 1 ? "" : "s"))", callers: concurrency, warmUp: warmUp, duration: duration, call))
                if count == workers.first, singleDuration > 0 {
                    results.single.append(await Self.load("nginx proxy_pass (\(count) worker\(count == 1 ? "" : "s"))", callers: 1, warmUp: 0.5, duration: singleDuration, call))
                }
                process.stop()
            }
        } else {
            results.nginxSkipped = "nginx not found on PATH or at /usr/sbin/nginx (Debian: apt-get install nginx)"
            Output.error("nginx not found: the nginx baseline is skipped (Debian: apt-get install nginx)")
        }

        let consumer = parties.consumer
        let service = parties.service
        let token = try await consumer.session(service: service, ttlSeconds: 3600).token
        let viaHub: @Sendable () async throws -> Void = {
            let answer = try await consumer.callService(
                service, path: "/echo", method: .POST, body: payload, contentType: "application/octet-stream", session: token)
            guard answer.status == 200, answer.body.count == expected else {
                throw LGSPClientError.unexpectedResponse(status: answer.status, body: String(decoding: answer.body.prefix(300), as: UTF8.self))
            }
        }
        // One checked call first: a misconfigured hub should fail loudly, not produce a rate of failures.
        try await viaHub()
        progress("lgsp authenticated proxy: \(concurrency) callers, \(Int(duration)) s")
        results.loaded.append(await Self.load("lgsp authenticated proxy", callers: concurrency, warmUp: warmUp, duration: duration, hubPID: hubPID, viaHub))

        if singleDuration > 0 {
            progress("one caller per target, \(Int(singleDuration)) s each")
            results.single.insert(await Self.load("direct echo", callers: 1, warmUp: 0.5, duration: singleDuration, direct), at: 0)
            results.single.append(await Self.load("lgsp authenticated proxy", callers: 1, warmUp: 0.5, duration: singleDuration, hubPID: hubPID, viaHub))
        }
        if sessionDuration > 0 {
            progress("session issuance over HTTP: \(concurrency) callers, \(Int(sessionDuration)) s")
            results.sessions = await Self.load("POST /v1/auth/sessions", callers: concurrency, warmUp: 0.5, duration: sessionDuration, hubPID: hubPID) {
                _ = try await consumer.session(service: service)
            }
        }
        if let status = try? await admin.hubStatus() {
            results.hubResidentMB = status.residentBytes.map { Double($0) / 1_048_576 }
            results.hubPeakResidentMB = status.peakResidentBytes.map { Double($0) / 1_048_576 }
        }
        return results
    }

    /// POSTs `payload` and checks the echo.
    static func post(_ http: HTTPClient, url: String, payload: Data) async throws {
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "content-type", value: "application/octet-stream")
        request.body = .bytes(ByteBuffer(bytes: payload))
        let response = try await http.execute(request, timeout: .seconds(30))
        let body = try await response.body.collect(upTo: 16 << 20)
        guard response.status.code == 200, body.readableBytes == payload.count else {
            throw LGSPClientError.unexpectedResponse(status: Int(response.status.code), body: String(buffer: body))
        }
    }

    /// `callers` closed loops of `call` for `warmUp` + `duration` seconds; only calls started after the
    /// warm-up count.
    static func load(
        _ name: String, callers: Int, warmUp: Double, duration: Double, hubPID: Int32? = nil, _ call: @escaping @Sendable () async throws -> Void
    ) async -> Phase {
        let clock = ContinuousClock()
        let measured = clock.now.advanced(by: .seconds(warmUp))
        let end = measured.advanced(by: .seconds(duration))
        let (latencies, failures, cpu) = await withTaskGroup(of: ([Double], Int).self) { group in
            for _ in 0..<callers {
                group.addTask {
                    var latencies: [Double] = []
                    latencies.reserveCapacity(Int(duration * 4000 / Double(callers)) + 16)
                    var failures = 0
                    while clock.now < end {
                        let started = clock.now
                        do {
                            try await call()
                            if started >= measured { latencies.append((clock.now - started).seconds * 1000) }
                        } catch {
                            failures += 1
                            if failures <= 3 { Output.error("\(name): call failed: \(error)") }
                            if failures > 1000 { break }
                        }
                    }
                    return (latencies, failures)
                }
            }
            try? await Task.sleep(until: measured, clock: clock)
            let before = CPUSnapshot.take(hubPID: hubPID)
            try? await Task.sleep(until: end, clock: clock)
            let after = CPUSnapshot.take(hubPID: hubPID)
            var all: [Double] = []
            var failures = 0
            for await (latencies, failed) in group {
                all += latencies
                failures += failed
            }
            return (all.sorted(), failures, CPUSnapshot.use(before, after, seconds: duration))
        }
        func percentile(_ p: Double) -> Double { latencies.percentile(p) }
        var phase = Phase(
            name: name, callers: callers, requests: latencies.count, failures: failures, seconds: duration,
            requestsPerSecond: Double(latencies.count) / duration,
            latencyMillis: ["p50": percentile(0.5), "p90": percentile(0.9), "p99": percentile(0.99), "max": latencies.last ?? 0], cpu: cpu)
        if let hub = phase.cpu?.hubPercentOfCore, phase.requestsPerSecond > 0 {
            phase.cpu?.hubMicrosPerRequest = hub / 100 / phase.requestsPerSecond * 1_000_000
        }
        return phase
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
        func row(_ phase: Phase) -> [String] {
            [phase.name, "\(phase.callers)", String(format: "%.0f", phase.requestsPerSecond), String(format: "%.2f", phase.percentile("p50")),
             String(format: "%.2f", phase.percentile("p90")), String(format: "%.2f", phase.percentile("p99")),
             String(format: "%.1f", phase.percentile("max")), "\(phase.failures)",
             phase.cpu.map { String(format: "%.0f %% of %d", $0.machineBusyPercent, $0.cores) } ?? "-",
             phase.cpu.map { String(format: "%.0f %%", $0.benchPercentOfCore) } ?? "-",
             phase.cpu?.hubPercentOfCore.map { String(format: "%.0f %%", $0) } ?? "-",
             phase.cpu?.hubMicrosPerRequest.map { String(format: "%.0f µs", $0) } ?? "-"]
        }
        let header = ["target", "callers", "req/s", "p50 ms", "p90 ms", "p99 ms", "max ms", "failures", "machine busy", "bench CPU", "hub CPU", "hub CPU/call"]
        Output.line("lgsp bench proxy — \(results.bodyBytes)-byte bodies echoed, \(results.callers) concurrent callers, \(Int(results.seconds)) s per target")
        if let version = results.nginxVersion { Output.line("  baseline: \(version), upstream keepalive") }
        if let skipped = results.nginxSkipped { Output.line("  nginx baseline skipped: \(skipped)") }
        Output.table(header, results.loaded.map(row))
        if !results.single.isEmpty {
            Output.line("")
            Output.line("one caller (latency without load):")
            Output.table(header, results.single.map(row))
        }
        let direct = results.loaded.first { $0.name == "direct echo" }
        let hub = results.loaded.first { $0.name == "lgsp authenticated proxy" }
        let nginxBest = results.loaded.filter { $0.name.hasPrefix("nginx") }.max { $0.requestsPerSecond < $1.requestsPerSecond }
        Output.line("")
        if let direct, let hub {
            Output.line(String(format: "added latency through the hub, %d callers: p50 %+.2f ms, p99 %+.2f ms", hub.callers,
                hub.percentile("p50") - direct.percentile("p50"), hub.percentile("p99") - direct.percentile("p99")))
        }
        if let direct = results.single.first(where: { $0.name == "direct echo" }), let hub = results.single.first(where: { $0.name == "lgsp authenticated proxy" }) {
            Output.line(String(format: "added latency through the hub, one caller: p50 %+.2f ms, p99 %+.2f ms",
                hub.percentile("p50") - direct.percentile("p50"), hub.percentile("p99") - direct.percentile("p99")))
        }
        if let hub {
            let targets = results.targets
            Output.line(String(format: "target ≥ %.0f req/s: %.0f req/s — %@", targets.requestsPerSecond, hub.requestsPerSecond,
                hub.requestsPerSecond >= targets.requestsPerSecond ? "met" : "NOT met"))
            Output.line(String(format: "target p99 < %.0f ms: %.2f ms — %@", targets.p99Millis, hub.percentile("p99"),
                hub.percentile("p99") < targets.p99Millis ? "met" : "NOT met"))
            if let nginxBest {
                let share = hub.requestsPerSecond / nginxBest.requestsPerSecond
                Output.line(String(format: "lgsp / nginx (best, %@): %.0f %% — target ≥ %.0f %%: %@", nginxBest.name, share * 100,
                    targets.shareOfNginx * 100, share >= targets.shareOfNginx ? "met" : "NOT met"))
            }
        }
        if let sessions = results.sessions {
            Output.line(String(format: "session issuance over HTTP (POST /v1/auth/sessions, %d callers): %.0f/s, p50 %.2f ms, p99 %.2f ms, %d failures%@",
                sessions.callers, sessions.requestsPerSecond, sessions.percentile("p50"), sessions.percentile("p99"), sessions.failures,
                sessions.cpu?.hubMicrosPerRequest.map { String(format: "; hub CPU %.0f µs each", $0) } ?? ""))
        }
        Output.line("(CPU columns: machine busy = all processes on all cores, other work included; bench = this process's callers and echo provider; % of one core)")
        if let resident = results.hubResidentMB {
            Output.line(String(format: "hub resident memory after the run: %.0f MB (peak %.0f MB)", resident, results.hubPeakResidentMB ?? -1))
        }
    }
}

/// The unit pair, consumer app, echo service and grant a proxy benchmark run creates (fresh codes each run).
struct ProxyBenchParties {
    let consumer: LGSPClient
    /// `<provider unit code>/echo`.
    let service: String

    static func make(admin: LGSPClient, url: String, http: HTTPClient, providerURL: String) async throws -> ProxyBenchParties {
        let level1 = try await BenchSupport.freshProvince(admin: admin, letter: "Y", purpose: "proxy-benchmark") { "Đo hiệu năng dịch vụ \($0)" }
        let province = "000.00.00.\(level1)"
        let consumerUnit = "000.00.01.\(level1)"
        let providerUnit = "000.00.02.\(level1)"
        _ = try await admin.addUnit(code: consumerUnit, name: "Bên gọi \(level1)", parent: province)
        _ = try await admin.addUnit(code: providerUnit, name: "Bên cung cấp \(level1)", parent: province)
        let app = try await admin.createApp(unit: consumerUnit, name: "bench proxy consumer", receives: [])
        _ = try await admin.addService(unit: providerUnit, name: "echo", url: providerURL, protocol: "rest", timeoutSeconds: 30)
        let service = "\(providerUnit)/echo"
        _ = try await admin.addGrant(app: app.accessKey, service: service)
        return ProxyBenchParties(
            consumer: LGSPClient(url: url, accessKey: app.accessKey, secretKey: app.secretKey, retries: 0, httpClient: http), service: service)
    }
}

/// A tiny Hummingbird app on 127.0.0.1 (port chosen by the system) that answers every POST with its body.
final class EchoProvider: Sendable {
    let url: String
    let port: Int
    private let task: Task<Void, any Error>

    private init(port: Int, task: Task<Void, any Error>) {
        self.port = port
        url = "http://127.0.0.1:\(port)"
        self.task = task
    }

    static func start() async throws -> EchoProvider {
        let router = Router()
        router.post("**") { request, _ -> Response in
            let body = try await request.body.collect(upTo: 16 << 20)
            return Response(status: .ok, body: ResponseBody(byteBuffer: body))
        }
        router.get("**") { _, _ in "ok" }
        var logger = Logger(label: "lgsp.bench.echo")
        // Failed calls show in the bench's own figures; the provider's shutdown chatter is not wanted.
        logger.logLevel = .critical
        let (ports, continuation) = AsyncStream<Int>.makeStream()
        let app = Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in continuation.yield(channel.localAddress?.port ?? 0) }, logger: logger)
        let task = Task { try await app.runService(gracefulShutdownSignals: []) }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next(), port > 0 else {
            task.cancel()
            throw LGSPClientError.invalidInput("the echo provider did not start")
        }
        return EchoProvider(port: port, task: task)
    }

    func stop() async {
        task.cancel()
        _ = try? await task.value
    }
}

/// nginx started from a minimal configuration in a temporary folder: `proxy_pass` to the echo
/// provider (HTTP/1.1 with upstream keepalive, as the hub keeps its provider connections), no access log.
final class NginxProcess: @unchecked Sendable {
    let url: String
    let folder: String
    private let process: Process

    private init(url: String, folder: String, process: Process) {
        self.url = url
        self.folder = folder
        self.process = process
    }

    /// The binary: `explicit`, else `nginx` on PATH, else `/usr/sbin/nginx` (Debian's place, often off a user's PATH).
    static func find(_ explicit: String?) -> String? {
        if let explicit { return FileManager.default.isExecutableFile(atPath: explicit) ? explicit : nil }
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        for folder in path.split(separator: ":") + ["/usr/sbin", "/usr/local/sbin"] {
            let candidate = "\(folder)/nginx"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    /// `nginx/1.22.1`, from `nginx -v`.
    static func version(_ binary: String) -> String? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = ["-v"]
        let pipe = Pipe()
        process.standardError = pipe
        process.standardOutput = pipe
        guard (try? process.run()) != nil else { return nil }
        process.waitUntilExit()
        let text = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        return text.split(separator: ":", maxSplits: 1).last.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
    }

    static func configuration(listenPort: Int, upstreamPort: Int, workers: Int, folder: String) -> String {
        """
        worker_processes \(workers);
        pid \(folder)/nginx.pid;
        error_log \(folder)/error.log warn;
        events { worker_connections 4096; }
        http {
            access_log off;
            client_body_temp_path \(folder)/client_body;
            proxy_temp_path \(folder)/proxy;
            fastcgi_temp_path \(folder)/fastcgi;
            uwsgi_temp_path \(folder)/uwsgi;
            scgi_temp_path \(folder)/scgi;
            upstream echo {
                server 127.0.0.1:\(upstreamPort);
                keepalive 64;
            }
            server {
                listen 127.0.0.1:\(listenPort);
                location / {
                    proxy_pass http://echo;
                    proxy_http_version 1.1;
                    proxy_set_header Connection "";
                }
            }
        }

        """
    }

    static func start(binary: String, upstreamPort: Int, workers: Int, http: HTTPClient) async throws -> NginxProcess {
        let folder = NSTemporaryDirectory() + "lgsp-bench-nginx-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o755])
        let port = try freeLoopbackPort()
        try configuration(listenPort: port, upstreamPort: upstreamPort, workers: workers, folder: folder)
            .write(toFile: folder + "/nginx.conf", atomically: true, encoding: .utf8)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = ["-p", folder + "/", "-c", "nginx.conf", "-e", folder + "/error.log", "-g", "daemon off;"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let started = NginxProcess(url: "http://127.0.0.1:\(port)", folder: folder, process: process)
        // Ready when a request goes through to the echo provider.
        for _ in 0..<100 {
            if !process.isRunning { break }
            var probe = HTTPClientRequest(url: started.url + "/ready")
            probe.method = .GET
            if let response = try? await http.execute(probe, timeout: .seconds(1)), response.status.code == 200 {
                _ = try? await response.body.collect(upTo: 1 << 16)
                return started
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        let log = (try? String(contentsOfFile: folder + "/error.log", encoding: .utf8)) ?? ""
        started.stop()
        throw LGSPClientError.invalidInput("nginx did not start: \(log.suffix(500))")
    }

    /// Stops nginx (SIGTERM to the master, which stops its workers) and removes the folder.
    func stop() {
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
        try? FileManager.default.removeItem(atPath: folder)
    }
}

/// A loopback TCP port that is free now (bound to port 0, read back, released).
func freeLoopbackPort() throws -> Int {
    #if canImport(Glibc)
    let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    #else
    let descriptor = socket(AF_INET, SOCK_STREAM, 0)
    #endif
    guard descriptor >= 0 else { throw LGSPClientError.invalidInput("cannot open a socket to find a free port") }
    defer { close(descriptor) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = 0
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, length) }
    }
    guard bound == 0 else { throw LGSPClientError.invalidInput("cannot bind a loopback socket to find a free port") }
    let named = withUnsafeMutablePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
    }
    guard named == 0 else { throw LGSPClientError.invalidInput("cannot read the free port") }
    return Int(UInt16(bigEndian: address.sin_port))
}

/// CPU time counters from /proc (Linux); nil elsewhere.
struct CPUSnapshot {
    var machineBusy: Double
    var machineTotal: Double
    var selfSeconds: Double
    var hubSeconds: Double?

    static let ticksPerSecond: Double = {
        #if canImport(Glibc)
        Double(sysconf(Int32(_SC_CLK_TCK)))
        #else
        100
        #endif
    }()

    static func take(hubPID: Int32?) -> CPUSnapshot? {
        guard let stat = try? String(contentsOfFile: "/proc/stat", encoding: .utf8),
            let line = stat.split(separator: "\n").first(where: { $0.hasPrefix("cpu ") }),
            let selfSeconds = processSeconds("self")
        else { return nil }
        // user nice system idle iowait irq softirq steal …
        let fields = line.split(separator: " ").dropFirst().compactMap { Double($0) }
        guard fields.count >= 5 else { return nil }
        let total = fields.prefix(8).reduce(0, +)
        let idle = fields[3] + fields[4]
        return CPUSnapshot(
            machineBusy: total - idle, machineTotal: total, selfSeconds: selfSeconds, hubSeconds: hubPID.flatMap { processSeconds(String($0)) })
    }

    /// utime + stime of a process, in seconds.
    static func processSeconds(_ pid: String) -> Double? {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8), let close = text.lastIndex(of: ")") else { return nil }
        // Fields after the command name: state is field 3, utime 14, stime 15.
        let fields = text[text.index(after: close)...].split(separator: " ")
        guard fields.count > 12, let user = Double(fields[11]), let system = Double(fields[12]) else { return nil }
        return (user + system) / ticksPerSecond
    }

    static func use(_ before: CPUSnapshot?, _ after: CPUSnapshot?, seconds: Double) -> ProxyBenchCommand.CPUUse? {
        guard let before, let after, after.machineTotal > before.machineTotal, seconds > 0 else { return nil }
        let cores = ProcessInfo.processInfo.activeProcessorCount
        var hub: Double?
        if let start = before.hubSeconds, let end = after.hubSeconds { hub = (end - start) / seconds * 100 }
        return ProxyBenchCommand.CPUUse(
            cores: cores, machineBusyPercent: (after.machineBusy - before.machineBusy) / (after.machineTotal - before.machineTotal) * 100,
            benchPercentOfCore: (after.selfSeconds - before.selfSeconds) / seconds * 100, hubPercentOfCore: hub)
    }
}
