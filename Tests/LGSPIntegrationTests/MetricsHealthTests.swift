import Foundation
import LGSPAPI
import LGSPClient
import LGSPCore
import LGSPTesting
import Testing

/// `/metrics` (Prometheus text format, checked by Prometheus' own `promtool`), `/healthz` and
/// `/readyz` on a live hub.
@Suite("Metrics and health", .serialized)
struct MetricsHealthTests {
    /// Prometheus' `promtool`, or nil (and an issue when `make test` promised it) when not installed.
    static func promtool() -> String? {
        if let path = ExternalTools.which("promtool") { return path }
        if ExternalTools.interopRequired {
            Issue.record("promtool is missing although LGSP_REQUIRE_INTEROP=1 (apt-get install prometheus)")
        } else {
            print("skipping promtool check: promtool is not installed (apt-get install prometheus)")
        }
        return nil
    }

    /// The value of one sample (`name{labels} value`) in an exposition text.
    static func sample(_ text: String, _ series: String) -> Double? {
        text.split(separator: "\n").first { $0.hasPrefix(series + " ") }.flatMap { Double($0.split(separator: " ").last ?? "") }
    }

    @Test("metrics move with traffic and pass promtool check metrics")
    func metricsAfterTraffic() async throws {
        let hub = try await HubProcess.start()
        defer { hub.shutdown() }
        let raw = RawClient(url: hub.url)
        let before = try await raw.send("GET", "/metrics")
        #expect(before.status == 200)
        #expect(before.headers.first(name: "content-type")?.hasPrefix("text/plain; version=0.0.4") == true)
        #expect(Self.sample(before.text, "lgsp_packets_created_total") == 0)

        let scenario = try await Scenario.make(hub)
        let sender = scenario.client(scenario.source)
        let content = Data("Báo cáo quý IV".utf8)
        let sent = try await sender.send(
            to: [Scenario.firstUnit, Scenario.secondUnit], subject: "Báo cáo", dataType: "edoc", file: try scenario.file("bao-cao.txt", content),
            mediaType: "text/plain")
        let receiver = scenario.client(scenario.first)
        _ = try await receiver.accept(sent.id)
        let received = try await receiver.download(sent.id)
        _ = try await receiver.acknowledge(sent.id, sha256: ContentDigest.of(received).hex)
        let forged = LGSPClient(url: hub.url, accessKey: scenario.first.accessKey, secretKey: "not-the-secret-key-at-all-000000")
        await #expect(throws: LGSPClientError.self) { _ = try await forged.inbox() }

        let after = try await raw.send("GET", "/metrics")
        let text = after.text
        #expect(Self.sample(text, "lgsp_packets_created_total") == 1, "\(text)")
        #expect(Self.sample(text, #"lgsp_delivery_transitions_total{state="delivered"}"#) == 1)
        #expect(Self.sample(text, #"lgsp_packets{state="in_transit"}"#) == 1)
        #expect(Self.sample(text, #"lgsp_deliveries{state="delivered"}"#) == 1)
        #expect(Self.sample(text, #"lgsp_deliveries{state="notified"}"#) == 1)
        #expect(Self.sample(text, "lgsp_queue_depth") == 1)
        #expect((Self.sample(text, "lgsp_queue_oldest_age_seconds") ?? -1) >= 0)
        #expect(Self.sample(text, #"lgsp_auth_failures_total{code="auth.signature_mismatch"}"#) == 1)
        #expect((Self.sample(text, "process_resident_memory_bytes") ?? 0) > 1_000_000)
        #expect(Self.sample(text, "lgsp_stream_connections") == 0)
        #expect(Self.sample(text, "lgsp_webhook_dead_letters") == 0)
        // Upstream link state exists per configured peer (`lgsp_peer_link_up{peer}`…): with no peers, it is absent.
        #expect(!text.contains("lgsp_peer_link_up"))
        // The latency is observed beside the acknowledgement: give it a moment.
        var latency = Self.sample(text, "lgsp_delivery_latency_seconds_count")
        for _ in 0..<20 where latency != 1 {
            try await Task.sleep(for: .milliseconds(100))
            latency = Self.sample(try await raw.send("GET", "/metrics").text, "lgsp_delivery_latency_seconds_count")
        }
        #expect(latency == 1)

        guard let promtool = Self.promtool() else { return }
        let checked = try await ExternalTools.run(promtool, ["check", "metrics"], input: after.body)
        #expect(checked.status == 0, "promtool: \(checked.text) \(checked.stderr)")
    }

    @Test("readyz answers ready, and 503 naming storage when the content folder cannot be written")
    func readiness() async throws {
        let hub = try await HubProcess.start()
        defer { hub.shutdown() }
        let raw = RawClient(url: hub.url)
        #expect(try await raw.send("GET", "/healthz").status == 200)
        let ready = try await raw.send("GET", "/readyz")
        #expect(ready.status == 200, "\(ready.text)")
        #expect(ready.text.contains("\"ready\""))
        // Liveness has no dependencies; readiness names each check and reports the upstream links (none here).
        #expect(try await raw.send("GET", "/healthz").text.contains("\"ok\""))
        let readiness = try #require(try JSONSerialization.jsonObject(with: ready.body) as? [String: Any])
        #expect(readiness["database"] as? String == "ok" && readiness["storage"] as? String == "ok" && readiness["auditLog"] as? String == "ok")
        #expect((readiness["upstream"] as? [Any])?.isEmpty == true, "\(ready.text)")

        let content = hub.dataPath + "/content"
        let moved = hub.dataPath + "/content-away"
        try FileManager.default.moveItem(atPath: content, toPath: moved)
        // A plain file where the folder was: nothing can be created inside it, even as root.
        _ = FileManager.default.createFile(atPath: content, contents: Data())
        let notReady = try await raw.send("GET", "/readyz")
        #expect(notReady.status == 503)
        #expect(notReady.headers.first(name: "content-type") == "application/problem+json")
        #expect(notReady.problem?.code == "server.unavailable")
        #expect(notReady.problem?.details?["storage"] != nil, "\(notReady.text)")
        #expect(notReady.problem?.details?["database"] == nil)
        try FileManager.default.removeItem(atPath: content)
        try FileManager.default.moveItem(atPath: moved, toPath: content)
        #expect(try await raw.send("GET", "/readyz").status == 200)
    }
}
