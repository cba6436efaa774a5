import Foundation
import LGSPAPI
import LGSPTesting
import Testing

/// RFC 9421 against a live hub, signed by the PyPI `http-message-signatures` package: hmac-sha256,
/// rsa-v1_5-sha256 and rsa-pss-sha512 requests succeed; the same requests tampered fail with the right code.
@Suite("HTTP Message Signatures interop", .serialized)
struct HTTPMessageSignaturesInteropTests {
    @Test("http-message-signatures signs inbox reads, packet creation (sha-256 and sha-512 Content-Digest) and uploads; tampering is refused")
    func pythonClient() async throws {
        guard try InteropTests.requirePython() else { return }
        let hub = try await HubProcess.start()
        defer { hub.shutdown() }
        let scenario = try await Scenario.make(hub)
        let key = try await SignatureInterop.rsaKey(hub, name: "rfc9421-rsa")
        let rsaApp = try await scenario.admin.createApp(
            unit: Scenario.sourceUnit, name: "Hệ thống ký RSA", receives: ["edoc"],
            auth: UpdateAuthPolicyRequest(rsaPublicKey: key.publicKey, debugSignatures: true))
        _ = try await scenario.admin.addGrant(app: rsaApp.accessKey, sendTo: "*.H24", dataType: "edoc")

        let results = try await SignatureInterop.run("http_message_signatures_flow.py", hub, configuration: [
            "url": hub.url, "unit": Scenario.firstUnit,
            "hmac": ["accessKey": scenario.source.accessKey, "secretKey": scenario.source.secretKey],
            "rsa": ["accessKey": rsaApp.accessKey, "privateKey": key.path],
        ])
        for algorithm in ["hmac-sha256", "rsa-v1_5-sha256", "rsa-pss-sha512"] {
            let steps = try #require(results[algorithm] as? [String: Any], "\(algorithm) missing")
            let check = { (step: String, status: Int, code: String?) in SignatureInterop.expect(steps, step, status, code, algorithm) }
            check("inbox", 200, nil)
            check("pathAndQuery", 200, nil)
            check("create", 201, nil)
            check("upload", 200, nil)
            #expect(steps["uploadComplete"] as? Bool == true, "\(algorithm)")
            check("createSha512", 201, nil)
            check("tamperedBody", 401, "auth.payload_hash_mismatch")
            check("tamperedHeader", 401, "auth.signature_mismatch")
            check("tamperedPath", 401, "auth.signature_mismatch")
            check("oldTimestamp", 401, "auth.clock_skew")
            #expect(steps["oldTimestampServerTime"] as? String != nil, "\(algorithm): the hub's time comes with auth.clock_skew")
            check("firstUse", 200, nil)
            check("replayed", 401, "auth.replayed_nonce")
            check("wrongKey", 401, "auth.signature_mismatch")
            check("pathWithoutQuery", 401, "auth.missing_signed_header")
            // Only the RSA app has debugSignatures on.
            #expect(steps["tamperedPathBase"] as? Bool == (algorithm != "hmac-sha256"), "\(algorithm): signature base in the refusal")
        }
        // The packets signed by the Python client reached the recipient.
        let inbox = try await scenario.client(scenario.first).inbox(limit: 50)
        let sent = ["hmac-sha256", "rsa-v1_5-sha256", "rsa-pss-sha512"].compactMap { (results[$0] as? [String: Any])?["packetId"] as? String }
        #expect(sent.count == 3)
        #expect(Set(sent).isSubset(of: Set(inbox.map(\.id.description))), "\(sent) in \(inbox.map(\.id))")
    }
}
