import Foundation
import LGSPAPI
import LGSPClient
import LGSPCore
import LGSPTesting
import Testing

/// `LGSPClient` where things go wrong: a wrong local clock, a connection cut in the middle of an upload.
@Suite("Client resilience", .serialized)
struct ClientResilienceTests {
    @Test("a client whose clock is ten minutes off is corrected by the hub's skew answer and carries on")
    func clockSkewCorrection() async throws {
        let hub = try await HubProcess.start()
        defer { hub.shutdown() }
        let scenario = try await Scenario.make(hub)
        let skewed = LGSPClient(url: hub.url, accessKey: scenario.first.accessKey, secretKey: scenario.first.secretKey, clockOffset: -600)
        // The hub and this test share one clock, so the true offset is 0; an estimate may be off by half a
        // round trip (plus the half second of the hub's whole-second time), and round trips are long
        // when the whole suite loads the machine: bound the error by the time the calls took.
        var started = Date()
        #expect(try await skewed.inbox().isEmpty)
        var took = Date().timeIntervalSince(started)
        #expect(abs(skewed.hubClockOffset) < 1 + took, "the offset was corrected from the hub's time (now \(skewed.hubClockOffset) s, the calls took \(took) s)")
        let fresh = LGSPClient(url: hub.url, accessKey: scenario.first.accessKey, secretKey: scenario.first.secretKey, clockOffset: 900)
        started = Date()
        let offset = try await fresh.synchronizeClock()
        took = Date().timeIntervalSince(started)
        #expect(abs(offset) < 0.1 + took / 2, "offset \(offset) s, round trip \(took) s")
    }

    @Test("an upload cut by the network resumes from the offset the hub kept, and the content arrives whole")
    func resumesAfterDroppedConnection() async throws {
        let python = try #require(ExternalTools.python ?? ExternalTools.which("python3"))
        let hub = try await HubProcess.start()
        defer { hub.shutdown() }
        let scenario = try await Scenario.make(hub)

        let proxy = Process()
        proxy.executableURL = URL(fileURLWithPath: python)
        proxy.arguments = [PackageRoot.path + "/Tests/Fixtures/python/cutting_proxy.py", String(hub.port), "300000"]
        let output = Pipe()
        proxy.standardOutput = output
        proxy.standardError = FileHandle.nullDevice
        try proxy.run()
        // SIGKILL: a child started from a Swift test inherits a signal mask that blocks SIGTERM.
        defer { kill(proxy.processIdentifier, SIGKILL) }
        let portLine = String(decoding: output.fileHandleForReading.availableData, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        let proxyPort = try #require(Int(portLine))

        let content = BlobStoreConformance.content(2_000_000, seed: 11)
        let file = try scenario.file("lon.bin", content)
        let sender = LGSPClient(url: "http://127.0.0.1:\(proxyPort)", accessKey: scenario.source.accessKey, secretKey: scenario.source.secretKey)
        let sent = try await sender.send(to: [Scenario.firstUnit], subject: "Hồ sơ lớn", dataType: "edoc", file: file)
        #expect(sent.state == .inTransit)
        let receiver = scenario.client(scenario.first)
        _ = try await receiver.accept(sent.id)
        #expect(try await receiver.download(sent.id) == content)
    }
}
