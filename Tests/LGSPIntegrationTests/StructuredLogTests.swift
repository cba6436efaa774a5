import Foundation
import LGSPAPI
import LGSPClient
import LGSPServer
import LGSPTesting
import Logging
import Synchronization
import Testing

/// Structured JSON logs (`log.format: json`, `--log-format json`) and request ids: one JSON object
/// per line, the request id of the request a line was written for, echoed in `X-Request-Id` and in
/// problem documents; secrets never written.
@Suite("Structured logs and request ids", .serialized)
struct StructuredLogTests {
    final class Lines: Sendable {
        let lines = Mutex<[String]>([])
        var all: [String] { lines.withLock { $0 } }
        var output: JSONLogHandler.Output { JSONLogHandler.Output { line in self.lines.withLock { $0.append(line) } } }
    }

    static func object(_ line: String) -> [String: Any]? {
        try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
    }

    @Test("the handler writes one JSON object per line with level, label, message, metadata and the current request id; secrets are redacted")
    func handlerLines() throws {
        let captured = Lines()
        var logger = Logger(label: "lgsp.test") { label in JSONLogHandler(label: label, output: captured.output) }
        logger.logLevel = .debug
        logger[metadataKey: "node"] = "a"
        logger.info("không có yêu cầu", metadata: ["count": "3", "nested": ["list": ["x", "y"], "apiToken": "t0ps3cret"]])
        RequestID.$current.withValue("req-42") {
            logger.warning("trong yêu cầu\nhai dòng", metadata: ["secretKey": "s3cr3t", "Authorization": "AWS4-HMAC-SHA256 Signature=abc"])
        }
        logger.debug("id đã cho", metadata: ["requestId": "given-1"])
        logger.trace("below the level")

        let lines = captured.all
        #expect(lines.count == 3)
        #expect(lines.allSatisfy { !$0.contains("\n") }, "one line per record, even for a message with a newline")
        let objects = lines.compactMap(Self.object)
        #expect(objects.count == 3, "every line parses as JSON: \(lines)")
        let first = try #require(objects.first)
        #expect(first["level"] as? String == "info" && first["label"] as? String == "lgsp.test" && first["message"] as? String == "không có yêu cầu")
        #expect((first["timestamp"] as? String).flatMap(APICoding.parseDate) != nil)
        #expect(first["requestId"] == nil, "no request, no id")
        let metadata = try #require(first["metadata"] as? [String: Any])
        #expect(metadata["node"] as? String == "a" && metadata["count"] as? String == "3")
        let nested = try #require(metadata["nested"] as? [String: Any])
        #expect(nested["list"] as? [String] == ["x", "y"])
        #expect(nested["apiToken"] as? String == "[redacted]")

        let second = objects[1]
        #expect(second["requestId"] as? String == "req-42")
        #expect(second["message"] as? String == "trong yêu cầu\nhai dòng")
        #expect((second["metadata"] as? [String: Any])?["secretKey"] as? String == "[redacted]")
        #expect(!lines[1].contains("s3cr3t") && !lines[1].contains("Signature=abc"))
        #expect(objects[2]["requestId"] as? String == "given-1", "an explicit requestId wins")
    }

    @Test("lgsp serve --log-format json: every line is JSON, request ids are echoed and logged, problems carry them, no secret is written")
    func servedHub() async throws {
        let hub = try await HubProcess.start(arguments: ["--log-format", "json"], environment: ["LGSP_LOG_LEVEL": "trace"])
        defer { hub.shutdown() }
        let scenario = try await Scenario.make(hub)
        let raw = RawClient(url: hub.url)
        let asFirst = RawClient.Signing.sigV4(accessKey: scenario.first.accessKey, secretKey: scenario.first.secretKey)

        let given = try await raw.send("GET", "/v1/inbox", headers: [("X-Request-Id", "kiem-tra.001")], signing: asFirst)
        #expect(given.status == 200)
        #expect(given.headers.first(name: "x-request-id") == "kiem-tra.001")

        // Ids that are too long or carry other characters are replaced, not echoed.
        for bad in [String(repeating: "a", count: 65), "bad id", "a/b", "<script>", "k=v;x"] {
            let replaced = try await raw.send("GET", "/healthz", headers: [("X-Request-Id", bad)])
            let id = try #require(replaced.headers.first(name: "x-request-id"))
            #expect(id != bad && UUID(uuidString: id) != nil, "\(bad) → \(id)")
        }
        let generated = try await raw.send("GET", "/healthz")
        #expect(UUID(uuidString: generated.headers.first(name: "x-request-id") ?? "") != nil)

        // A refused request: the problem document and the header carry the same id.
        let refused = try await raw.send(
            "GET", "/v1/inbox", headers: [("X-Request-Id", "tu-choi-1")], signing: .sigV4(accessKey: scenario.first.accessKey, secretKey: "a-wrong-secret-value"))
        #expect(refused.status == 401)
        #expect(refused.headers.first(name: "x-request-id") == "tu-choi-1")
        #expect(refused.problem?.requestId == "tu-choi-1")
        let missing = try await raw.send("GET", "/v1/khong-co")
        #expect(missing.problem?.requestId == missing.headers.first(name: "x-request-id"))
        #expect(missing.problem?.requestId != nil)

        // The id is in the audit log as well.
        let audit = try await scenario.admin.auditEntries(from: nil, to: nil).items
        #expect(audit.contains { $0.action == "auth.failure" && $0.requestId == "tu-choi-1" })

        try await Task.sleep(for: .milliseconds(300))
        let log = try String(contentsOfFile: hub.data.path + "/hub.stderr.log", encoding: .utf8)
        let lines = log.split(separator: "\n").map(String.init)
        #expect(lines.count > 10, "the trace log was written")
        let objects = lines.compactMap(Self.object)
        #expect(objects.count == lines.count, "lines that are not JSON: \(lines.filter { Self.object($0) == nil }.prefix(3))")
        #expect(objects.allSatisfy { $0["timestamp"] is String && $0["level"] is String && $0["label"] is String && $0["message"] is String })
        let given001 = objects.filter { $0["requestId"] as? String == "kiem-tra.001" }
        #expect(given001.contains { $0["message"] as? String == "request" && ($0["metadata"] as? [String: Any])?["status"] as? String == "200" })
        #expect(objects.contains { $0["requestId"] as? String == "tu-choi-1" })
        for secret in [scenario.source.secretKey, scenario.first.secretKey, scenario.second.secretKey, try hub.admin.secretKey, "a-wrong-secret-value"] {
            #expect(!log.contains(secret), "a secret key is in the log")
        }
        #expect(!log.contains("Signature="), "a signature is in the log")
    }

    @Test("an unknown log.format is refused at start")
    func unknownFormat() async throws {
        let data = try TemporaryFolder()
        defer { data.remove() }
        let result = try await ExternalTools.run(HubProcess.binaryPath, ["serve", "--data", data.path, "--port", "0", "--log-format", "xml"])
        #expect(result.status != 0)
        #expect(result.stderr.contains("log.format"), "\(result.stderr)")
    }
}
