import Foundation
import LGSPAPI
import LGSPClient
import LGSPTesting
import Testing

/// Secrets and signatures never reach the hub's logs, even at the most verbose level and when
/// signatures fail (Article 10 item 3 of the authentication issue).
@Suite("Log hygiene", .serialized)
struct LogHygieneTests {
    @Test("at trace level, neither secret keys, signatures nor session tokens appear in the hub's log (text and JSON lines)", arguments: ["text", "json"])
    func noSecretsInLogs(format: String) async throws {
        let hub = try await HubProcess.start(environment: ["LGSP_LOG_LEVEL": "trace", "LGSP_LOG_FORMAT": format])
        defer { hub.shutdown() }
        let scenario = try await Scenario.make(hub)
        let raw = RawClient(url: hub.url)
        let good = try await raw.send("GET", "/v1/inbox", signing: .sigV4(accessKey: scenario.first.accessKey, secretKey: scenario.first.secretKey))
        #expect(good.status == 200)
        let bad = try await raw.send("GET", "/v1/inbox", signing: .sigV4(accessKey: scenario.first.accessKey, secretKey: "a-wrong-secret-value"))
        #expect(bad.status == 401)
        let rotated = try await scenario.admin.rotateKey(accessKey: scenario.second.accessKey, graceSeconds: 0)
        _ = try await scenario.admin.addService(unit: Scenario.firstUnit, name: "nhat-ky", url: "http://127.0.0.1:9")
        _ = try await scenario.admin.addGrant(app: scenario.source.accessKey, service: "\(Scenario.firstUnit)/nhat-ky")
        let session = try await scenario.client(scenario.source).session(service: "\(Scenario.firstUnit)/nhat-ky")
        try await Task.sleep(for: .milliseconds(300))
        let log = try String(contentsOfFile: hub.data.path + "/hub.stderr.log", encoding: .utf8)
        #expect(log.count > 1000, "the trace log was written")
        if format == "json" {
            let lines = log.split(separator: "\n")
            #expect(lines.allSatisfy { (try? JSONSerialization.jsonObject(with: Data($0.utf8))) is [String: Any] }, "every line is a JSON object")
        }
        let admin = try hub.admin
        for secret in [scenario.source.secretKey, scenario.first.secretKey, scenario.second.secretKey, rotated.secretKey, admin.secretKey, "a-wrong-secret-value"] {
            #expect(!log.contains(secret), "a secret key is in the log")
        }
        #expect(!log.contains(session.token), "a session token is in the log")
        // The Authorization header's signature (64 hex characters after Signature=) is never logged.
        #expect(!log.contains("Signature="), "a signature is in the log")
    }
}
