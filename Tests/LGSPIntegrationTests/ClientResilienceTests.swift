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
        #expect(try await skewed.inbox().isEmpty)
        #expect(abs(skewed.hubClockOffset) < 5, "the offset was corrected from the hub's time (now \(skewed.hubClockOffset) s)")
        let fresh = LGSPClient(url: hub.url, accessKey: scenario.first.accessKey, secretKey: scenario.first.secretKey, clockOffset: 900)
        let offset = try await fresh.synchronizeClock()
        #expect(abs(offset) < 1)
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
