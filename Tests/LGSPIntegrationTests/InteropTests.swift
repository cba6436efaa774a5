import Foundation
import LGSPAPI
import LGSPTesting
import Testing

/// Clients and tools we did not write, against a live hub: botocore's SigV4 signer and the
/// OpenAPI validator from PyPI. Without the Python clients the tests are skipped with a message,
/// unless `make test` promised them (LGSP_REQUIRE_INTEROP=1): then their absence fails.
@Suite("Interoperability with third-party clients", .serialized)
struct InteropTests {
    static func requirePython() throws -> Bool {
        if ExternalTools.python != nil { return true }
        if ExternalTools.interopRequired {
            Issue.record("the Python test clients are missing although LGSP_REQUIRE_INTEROP=1 (make python-deps)")
        }
        return false
    }

    @Test("botocore's SigV4Auth signs a full send/receive flow; a body changed after signing is refused")
    func botocoreFlow() async throws {
        guard try Self.requirePython() else { return }
        let hub = try await HubProcess.start()
        defer { hub.shutdown() }
        let scenario = try await Scenario.make(hub)
        let result = try await ExternalTools.python(script: "botocore_flow.py", [
            hub.url, scenario.source.accessKey, scenario.source.secretKey, scenario.first.accessKey, scenario.first.secretKey, Scenario.firstUnit,
        ])
        #expect(result.status == 0, "\(result.stderr)")
        let steps = try #require(try JSONSerialization.jsonObject(with: result.stdout) as? [String: Any], "\(result.text) \(result.stderr)")
        #expect(steps["create"] as? Int == 201)
        #expect(steps["upload"] as? Int == 200)
        #expect(steps["uploadComplete"] as? Bool == true)
        #expect(steps["inbox"] as? Int == 200)
        #expect((steps["inboxIds"] as? [String])?.contains(steps["packetId"] as? String ?? "-") == true)
        #expect(steps["accept"] as? Int == 200)
        #expect(steps["download"] as? Int == 200)
        #expect(steps["downloadSha256"] as? String == steps["sha256"] as? String)
        #expect(steps["ack"] as? Int == 200)
        #expect(steps["ackState"] as? String == "delivered")
        #expect(steps["tampered"] as? Int == 401)
        #expect(steps["tamperedCode"] as? String == "auth.payload_hash_mismatch" || steps["tamperedCode"] as? String == "auth.signature_mismatch")
    }

    @Test("the OpenAPI document served at /openapi.json is valid OpenAPI 3.1 and is the committed file")
    func openAPIValidates() async throws {
        guard try Self.requirePython() else { return }
        let hub = try await HubProcess.start()
        defer { hub.shutdown() }
        let curl = try #require(ExternalTools.curl)
        let served = hub.data.path + "/openapi.json"
        let download = try await ExternalTools.run(curl, ["-sS", "-o", served, "\(hub.url)/openapi.json"])
        #expect(download.status == 0)
        let committed = try Data(contentsOf: URL(fileURLWithPath: PackageRoot.path + "/Sources/LGSPServer/Resources/openapi.json"))
        #expect(try Data(contentsOf: URL(fileURLWithPath: served)) == committed)
        let validator = URL(fileURLWithPath: try #require(ExternalTools.python)).deletingLastPathComponent().appendingPathComponent("openapi-spec-validator").path
        let result = try await ExternalTools.run(validator, [served])
        #expect(result.status == 0, "\(result.text) \(result.stderr)")
        let document = try #require(try JSONSerialization.jsonObject(with: committed) as? [String: Any])
        #expect((document["openapi"] as? String)?.hasPrefix("3.1") == true)
    }
}
