import ArgumentParser
import AsyncHTTPClient
import Foundation
import LGSPAPI
import LGSPClient
import LGSPCore

/// `lgsp bench exchange`: full send/receive cycles against a running hub, then one large packet.
///
/// A cycle is the whole protocol for a 1 KiB packet: create, upload, list the inbox, accept,
/// download (digest checked), acknowledge (which purges the content). N workers run cycles
/// concurrently for the duration; the large packet measures streaming throughput and the hub's
/// peak memory (from `GET /v1/admin/status`).
struct ExchangeBenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "exchange", abstract: "Full-cycle throughput and latency, and large-packet streaming, against a running hub.")

    @OptionGroup var client: ClientOptions
    @Option(help: "Concurrent workers (senders), each running full cycles.") var senders = 16
    @Option(help: "Seconds of measured cycles (after a 2 s warm-up).") var duration = 10.0
    @Option(help: "Content size of the small packets, in bytes.") var size = 1024
    @Flag(help: "Use the one-request form (content inline) instead of create + upload.") var inline = false
    @Option(name: .customLong("large-size"), help: "Size of the large packet in bytes (0 skips it).") var largeSize: Int64 = 1 << 30
    @Option(name: .customLong("work-dir"), help: "Folder for the large packet's files (default: the temporary folder).") var workDir: String?
    @Flag(help: "Print the results as JSON.") var json = false

    struct Results: Codable {
        var senders: Int
        var contentBytes: Int
        var inline: Bool
        var cycles: Int
        var failures: Int
        var seconds: Double
        var cyclesPerSecond: Double
        var latencyMillis: [String: Double]
        var large: Large?

        struct Large: Codable {
            var bytes: Int64
            var uploadMBps: Double
            var downloadMBps: Double
            var hubPeakResidentMB: Double?
            var hubResidentBeforeMB: Double?
        }
    }

    func run() async throws {
        try await reportingFailures {
            let admin = try client.adminClient()
            let http = HTTPClient(configuration: .init(connectionPool: .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: senders * 2)))
            do {
                let parties = try await BenchParties.make(admin: admin, url: client.hubURL, http: http)
                _ = try await parties.sender.synchronizeClock()
                _ = try await parties.receiver.synchronizeClock()
                var results = try await cycles(parties)
                if largeSize > 0 { results.large = try await large(parties, admin: admin) }
                report(results)
            } catch {
                try? await http.shutdown()
                throw error
            }
            try await http.shutdown()
        }
    }

    private func cycles(_ parties: BenchParties) async throws -> Results {
        let payload = Data((0..<size).map { UInt8(truncatingIfNeeded: $0 &* 31) })
        let digest = ContentDigest.of(payload).hex
        let file = NSTemporaryDirectory() + "lgsp-bench-\(UUID().uuidString).bin"
        try payload.write(to: URL(fileURLWithPath: file))
        defer { try? FileManager.default.removeItem(atPath: file) }
        let warmUp = Date().addingTimeInterval(2)
        let end = warmUp.addingTimeInterval(duration)
        let latencies = try await BenchSupport.timedLoops(workers: senders, warmUp: warmUp, end: end) { [inline, senders] _ in
            try await parties.cycle(payload: payload, file: file, digest: digest, inline: inline, inboxLimit: senders * 4)
        }
        let (sorted, failures) = latencies
        func percentile(_ p: Double) -> Double { sorted.percentile(p) }
        return Results(
            senders: senders, contentBytes: size, inline: inline, cycles: sorted.count, failures: failures, seconds: duration,
            cyclesPerSecond: Double(sorted.count) / duration,
            latencyMillis: ["p50": percentile(0.5), "p90": percentile(0.9), "p99": percentile(0.99), "max": sorted.last ?? 0], large: nil)
    }

    private func large(_ parties: BenchParties, admin: LGSPClient) async throws -> Results.Large {
        let folder = workDir ?? NSTemporaryDirectory()
        let source = folder + "/lgsp-bench-large-\(UUID().uuidString).bin"
        let target = source + ".received"
        defer {
            try? FileManager.default.removeItem(atPath: source)
            try? FileManager.default.removeItem(atPath: target)
        }
        try writeRandomFile(source, size: largeSize)
        let before = try await admin.hubStatus()
        // Only the transfer is timed: the client hashes the file before it asks to send.
        let digest = try await LGSPClient.digest(file: source)
        let sent = try await parties.sender.createPacket(
            CreatePacketRequest(
                to: [parties.receiverUnit], subject: "bench large", dataType: "bench",
                content: ContentBody(size: largeSize, sha256: digest.hex, mediaType: "application/octet-stream")))
        let uploadStart = Date()
        _ = try await parties.sender.upload(sent.id, file: source, size: largeSize)
        let uploadSeconds = Date().timeIntervalSince(uploadStart)
        _ = try await parties.receiver.accept(sent.id)
        let downloadStart = Date()
        let received = try await parties.receiver.download(sent.id, to: target)
        let downloadSeconds = Date().timeIntervalSince(downloadStart)
        try await parties.receiver.acknowledge(sent.id, sha256: received.hex)
        let after = try await admin.hubStatus()
        let megabytes = Double(largeSize) / 1_000_000
        return Results.Large(
            bytes: largeSize, uploadMBps: megabytes / uploadSeconds, downloadMBps: megabytes / downloadSeconds,
            hubPeakResidentMB: after.peakResidentBytes.map { Double($0) / 1_048_576 },
            hubResidentBeforeMB: before.residentBytes.map { Double($0) / 1_048_576 })
    }

    private func writeRandomFile(_ path: String, size: Int64) throws {
        _ = FileManager.default.createFile(atPath: path, contents: nil)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        defer { try? handle.close() }
        // SplitMix64: fast pseudo-random bytes (the system generator makes a syscall per number).
        var state = UInt64.random(in: 0...UInt64.max)
        var block = [UInt64](repeating: 0, count: 1 << 17)  // 1 MiB
        var written: Int64 = 0
        while written < size {
            for index in block.indices {
                state &+= 0x9E37_79B9_7F4A_7C15
                var z = state
                z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
                z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
                block[index] = z ^ (z >> 31)
            }
            let count = Int(min(Int64(block.count * 8), size - written))
            block.withUnsafeBytes { handle.write(Data($0.prefix(count))) }
            written += Int64(count)
        }
    }

    private func report(_ results: Results) {
        if json {
            try? Output.json(results)
            return
        }
        Output.line("lgsp bench exchange — \(results.senders) concurrent senders, \(results.contentBytes)-byte packets\(results.inline ? " (one-request form)" : "")")
        Output.line(String(format: "  full cycles: %d in %.0f s = %.0f cycles/s (%d failures)", results.cycles, results.seconds, results.cyclesPerSecond, results.failures))
        Output.line(String(format: "  cycle latency ms: p50 %.1f  p90 %.1f  p99 %.1f  max %.1f",
            results.latencyMillis["p50"] ?? 0, results.latencyMillis["p90"] ?? 0, results.latencyMillis["p99"] ?? 0, results.latencyMillis["max"] ?? 0))
        if let large = results.large {
            Output.line(String(format: "  large packet %.0f MB: upload %.0f MB/s, download %.0f MB/s; hub peak RSS %.0f MB (%.0f MB before)",
                Double(large.bytes) / 1e6, large.uploadMBps, large.downloadMBps, large.hubPeakResidentMB ?? -1, large.hubResidentBeforeMB ?? -1))
        }
    }
}

/// The units and apps a benchmark run creates for itself (fresh codes each run).
struct BenchParties {
    let sender: LGSPClient
    let receiver: LGSPClient
    let receiverUnit: String
    /// The apps' credentials, for clients of the same apps on other nodes (`lgsp bench cluster`).
    var senderCredential: CredentialResponse? = nil
    var receiverCredential: CredentialResponse? = nil

    /// One full cycle: create, upload (or the one-request form), inbox, accept, download (checked), acknowledge.
    func cycle(payload: Data, file: String, digest: String, inline: Bool, inboxLimit: Int) async throws {
        let sent: PacketCreatedResponse
        if inline {
            sent = try await sender.send(to: [receiverUnit], subject: "bench", dataType: "bench", data: payload)
        } else {
            sent = try await sender.createPacket(
                CreatePacketRequest(
                    to: [receiverUnit], subject: "bench", dataType: "bench",
                    content: ContentBody(size: Int64(payload.count), sha256: digest, mediaType: "application/octet-stream")))
            _ = try await sender.upload(sent.id, file: file, size: Int64(payload.count))
        }
        let inbox = try await receiver.inbox(limit: inboxLimit)
        guard inbox.contains(where: { $0.id == sent.id }) else { throw LGSPClientError.invalidInput("packet \(sent.id) not in the inbox") }
        _ = try await receiver.accept(sent.id)
        let received = try await receiver.download(sent.id)
        guard received == payload else { throw LGSPClientError.contentDigestMismatch(expected: digest, actual: ContentDigest.of(received).hex) }
        try await receiver.acknowledge(sent.id, sha256: digest)
    }

    static func make(admin: LGSPClient, url: String, http: HTTPClient) async throws -> BenchParties {
        let existing = Set(try await admin.units().map(\.code.rawValue))
        guard let province = (1...99).map({ String(format: "000.00.00.Z%02d", $0) }).first(where: { !existing.contains($0) }) else {
            throw LGSPClientError.invalidInput("no free benchmark unit code left (Z01–Z99 all used)")
        }
        let level1 = String(province.suffix(3))
        let sourceUnit = "000.00.01.\(level1)"
        let receiverUnit = "000.00.02.\(level1)"
        _ = try await admin.addUnit(code: province, name: "Đơn vị đo hiệu năng \(level1)")
        _ = try await admin.addUnit(code: sourceUnit, name: "Nơi gửi \(level1)", parent: province)
        _ = try await admin.addUnit(code: receiverUnit, name: "Nơi nhận \(level1)", parent: province)
        let sender = try await admin.createApp(unit: sourceUnit, name: "bench sender", receives: [])
        let receiver = try await admin.createApp(unit: receiverUnit, name: "bench receiver", receives: ["bench"])
        _ = try await admin.addGrant(app: sender.accessKey, sendTo: receiverUnit, dataType: "bench")
        return BenchParties(
            sender: LGSPClient(url: url, accessKey: sender.accessKey, secretKey: sender.secretKey, httpClient: http),
            receiver: LGSPClient(url: url, accessKey: receiver.accessKey, secretKey: receiver.secretKey, httpClient: http),
            receiverUnit: receiverUnit, senderCredential: sender, receiverCredential: receiver)
    }
}
