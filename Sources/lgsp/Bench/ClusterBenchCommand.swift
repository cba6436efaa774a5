import ArgumentParser
import AsyncHTTPClient
import Foundation
import LGSPAPI
import LGSPClient
import LGSPCore

/// `lgsp bench cluster`: full-cycle throughput of a hub of 1, 2, 3… nodes on PostgreSQL next to one
/// node on SQLite, measured in one run.
///
/// For each configuration the command starts the nodes itself (`lgsp serve`, this binary, on free
/// loopback ports, one shared temporary data folder, `hub.node` = `bench-<i>`), then runs full cycles
/// (`lgsp bench exchange`'s cycle: create, upload, inbox, accept, download, acknowledge) from
/// `--senders` workers; worker w sends through node w mod N and receives through node w+1 mod N, so
/// with several nodes every packet crosses nodes. The PostgreSQL configurations share `--database`
/// (each run registers its own units); the SQLite one uses the data folder.
struct ClusterBenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cluster", abstract: "Full-cycle throughput with 1, 2, 3 nodes on PostgreSQL and 1 node on SQLite, in one run.")

    @Option(help: "PostgreSQL database the nodes share (omit: SQLite only).") var database: String?
    @Option(help: "Node counts to measure on PostgreSQL, comma-separated.") var nodes = "1,2,3"
    @Option(help: "Concurrent workers, each running full cycles.") var senders = 12
    @Option(help: "Seconds of measured cycles per configuration (after a 2 s warm-up).") var duration = 10.0
    @Option(help: "Content size of the packets, in bytes.") var size = 1024
    @Flag(name: .customLong("skip-sqlite"), help: "Do not measure the single SQLite node.") var skipSQLite = false
    @Flag(help: "Print the results as JSON.") var json = false

    struct Row: Codable {
        var backend: String
        var nodes: Int
        var cycles: Int
        var failures: Int
        var cyclesPerSecond: Double
        var latencyMillis: [String: Double]
    }

    func validate() throws {
        guard nodeCounts.allSatisfy({ (1...16).contains($0) }), !nodeCounts.isEmpty else {
            throw ValidationError("--nodes must list node counts between 1 and 16, e.g. 1,2,3")
        }
    }

    var nodeCounts: [Int] { nodes.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) } }

    func run() async throws {
        try await reportingFailures {
            var rows: [Row] = []
            if !skipSQLite {
                let folder = try BenchNodes.folder()
                defer { try? FileManager.default.removeItem(atPath: folder) }
                rows.append(try await measure(database: nil, nodes: 1, folder: folder))
            }
            if let database {
                // One data folder for every PostgreSQL configuration: the database's secrets are sealed with its master key.
                let folder = try BenchNodes.folder()
                defer { try? FileManager.default.removeItem(atPath: folder) }
                for count in nodeCounts { rows.append(try await measure(database: database, nodes: count, folder: folder)) }
            }
            report(rows)
        }
    }

    private func measure(database: String?, nodes count: Int, folder: String) async throws -> Row {
        let backend = database == nil ? "sqlite" : "postgres"
        if !json { Output.error("measuring \(count) node(s) on \(backend)…") }
        let cluster = try await BenchNodes.start(count: count, database: database, folder: folder)
        defer { cluster.stop() }
        let http = HTTPClient(configuration: .init(connectionPool: .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: senders * 2)))
        do {
            let admin = try cluster.adminClient()
            let base = try await BenchParties.make(admin: admin, url: cluster.urls[0], http: http)
            guard let senderKeys = base.senderCredential, let receiverKeys = base.receiverCredential else {
                throw LGSPClientError.invalidInput("benchmark apps were created without credentials")
            }
            let parties = cluster.urls.indices.map { index in
                BenchParties(
                    sender: LGSPClient(url: cluster.urls[index], accessKey: senderKeys.accessKey, secretKey: senderKeys.secretKey, httpClient: http),
                    receiver: LGSPClient(
                        url: cluster.urls[(index + 1) % count], accessKey: receiverKeys.accessKey, secretKey: receiverKeys.secretKey, httpClient: http),
                    receiverUnit: base.receiverUnit)
            }
            let row = try await cycles(parties, backend: backend, nodes: count)
            try await http.shutdown()
            return row
        } catch {
            try? await http.shutdown()
            throw error
        }
    }

    private func cycles(_ parties: [BenchParties], backend: String, nodes: Int) async throws -> Row {
        let payload = Data((0..<size).map { UInt8(truncatingIfNeeded: $0 &* 31) })
        let digest = ContentDigest.of(payload).hex
        let file = NSTemporaryDirectory() + "lgsp-bench-\(UUID().uuidString).bin"
        try payload.write(to: URL(fileURLWithPath: file))
        defer { try? FileManager.default.removeItem(atPath: file) }
        let warmUp = Date().addingTimeInterval(2)
        let end = warmUp.addingTimeInterval(duration)
        let inboxLimit = senders * 4
        let (sorted, failures) = try await BenchSupport.timedLoops(workers: senders, warmUp: warmUp, end: end) { worker in
            try await parties[worker % parties.count].cycle(payload: payload, file: file, digest: digest, inline: false, inboxLimit: inboxLimit)
        }
        return Row(
            backend: backend, nodes: nodes, cycles: sorted.count, failures: failures, cyclesPerSecond: Double(sorted.count) / duration,
            latencyMillis: ["p50": sorted.percentile(0.5), "p90": sorted.percentile(0.9), "p99": sorted.percentile(0.99)])
    }

    private func report(_ rows: [Row]) {
        if json {
            try? Output.json(rows)
            return
        }
        Output.line("lgsp bench cluster — \(senders) concurrent workers, \(size)-byte packets, \(Int(duration)) s per configuration")
        Output.line("  backend    nodes  cycles/s   p50 ms   p90 ms   p99 ms  failures")
        for row in rows {
            Output.line(
                String(
                    format: "  %-9@  %5d  %8.1f  %7.1f  %7.1f  %7.1f  %8d", row.backend as NSString, row.nodes, row.cyclesPerSecond,
                    row.latencyMillis["p50"] ?? 0, row.latencyMillis["p90"] ?? 0, row.latencyMillis["p99"] ?? 0, row.failures))
        }
    }
}

/// `lgsp serve` processes started by a benchmark: this binary, free loopback ports, one shared data folder
/// (the caller's; kept when the nodes stop, so the next configuration on the same database reuses its keys).
final class BenchNodes: Sendable {
    let folder: String
    let urls: [String]
    private let processes: [Process]

    private init(folder: String, urls: [String], processes: [Process]) {
        self.folder = folder
        self.urls = urls
        self.processes = processes
    }

    /// A new temporary folder for the nodes' data.
    static func folder() throws -> String {
        let folder = NSTemporaryDirectory() + "lgsp-bench-cluster-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        return folder
    }

    static func start(count: Int, database: String?, folder: String) async throws -> BenchNodes {
        var urls: [String] = []
        var processes: [Process] = []
        do {
            // The first node alone: it migrates and creates the administrator.
            for index in 1...count {
                let (process, url) = try await startNode(index: index, folder: folder, database: database)
                processes.append(process)
                urls.append(url)
            }
        } catch {
            BenchNodes(folder: folder, urls: urls, processes: processes).stop()
            throw error
        }
        return BenchNodes(folder: folder, urls: urls, processes: processes)
    }

    private static func startNode(index: Int, folder: String, database: String?) async throws -> (Process, String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Bundle.main.executablePath ?? CommandLine.arguments[0])
        process.arguments = ["serve", "--data", folder + "/data", "--host", "127.0.0.1", "--port", "0"]
        var environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("LGSP_") }
        environment["LGSP_HUB_NODE"] = "bench-\(index)"
        environment["LGSP_LOG_LEVEL"] = "error"
        environment["LGSP_TRANSFORM_DIRECTORY"] = folder + "/no-mappings"
        if let database { environment["LGSP_DATABASE_URL"] = database }
        process.environment = environment
        let output = folder + "/node-\(index).out"
        FileManager.default.createFile(atPath: output, contents: nil)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: output))
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline {
            let text = (try? String(contentsOfFile: output, encoding: .utf8)) ?? ""
            if let range = text.range(of: "listening on http://") {
                let address = text[range.upperBound...].prefix { !$0.isWhitespace }
                return (process, "http://" + address)
            }
            guard process.isRunning else { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        if process.isRunning { process.terminate() }
        let text = (try? String(contentsOfFile: output, encoding: .utf8)) ?? ""
        throw LGSPClientError.invalidInput("node \(index) did not start: \(text.prefix(3000))")
    }

    func adminClient() throws -> LGSPClient {
        struct Admin: Decodable { var accessKey: String; var secretKey: String }
        let admin = try JSONDecoder().decode(Admin.self, from: Data(contentsOf: URL(fileURLWithPath: folder + "/data/admin.json")))
        return LGSPClient(url: urls[0], accessKey: admin.accessKey, secretKey: admin.secretKey)
    }

    /// SIGTERM to every node; waits for them.
    func stop() {
        for process in processes where process.isRunning { process.terminate() }
        for process in processes { process.waitUntilExit() }
    }
}
