import Foundation
import LGSPAPI
import LGSPTesting
import Testing

/// OAuth 1.0a against a live hub, signed by oauthlib through requests-oauthlib: HMAC-SHA1, HMAC-SHA256,
/// RSA-SHA1 and RSA-SHA256 requests succeed; the same requests tampered fail with the right code.
@Suite("OAuth 1.0a interop", .serialized)
struct OAuth1InteropTests {
    @Test("requests-oauthlib signs inbox reads, packet creation (with oauth_body_hash) and uploads; tampering is refused")
    func pythonClient() async throws {
        guard try InteropTests.requirePython() else { return }
        let hub = try await HubProcess.start()
        defer { hub.shutdown() }
        let scenario = try await Scenario.make(hub)
        let key = try await SignatureInterop.rsaKey(hub, name: "oauth-rsa")
        let legacy = try await scenario.admin.createApp(
            unit: Scenario.sourceUnit, name: "Hệ thống cũ (OAuth 1.0a)", receives: ["edoc"],
            auth: UpdateAuthPolicyRequest(schemes: ["oauth1"], allowSha1: true, rsaPublicKey: key.publicKey, debugSignatures: true))
        _ = try await scenario.admin.addGrant(app: legacy.accessKey, sendTo: "*.H24", dataType: "edoc")

        let results = try await SignatureInterop.run("oauth1_flow.py", hub, configuration: [
            "url": hub.url, "unit": Scenario.firstUnit,
            "standard": ["accessKey": scenario.source.accessKey, "secretKey": scenario.source.secretKey],
            "legacy": ["accessKey": legacy.accessKey, "secretKey": legacy.secretKey, "privateKey": key.path],
        ])
        for method in ["HMAC-SHA256", "HMAC-SHA1", "RSA-SHA1", "RSA-SHA256"] {
            let steps = try #require(results[method] as? [String: Any], "\(method) missing")
            let check = { (step: String, status: Int, code: String?) in SignatureInterop.expect(steps, step, status, code, method) }
            check("inbox", 200, nil)
            #expect(steps["bodyHashSent"] as? Bool == true, "\(method): oauthlib sends oauth_body_hash for JSON bodies")
            check("create", 201, nil)
            check("upload", 200, nil)
            #expect(steps["uploadComplete"] as? Bool == true, "\(method)")
            check("tamperedBody", 401, "auth.payload_hash_mismatch")
            check("tamperedHeader", 401, "auth.signature_mismatch")
            check("tamperedPath", 401, "auth.signature_mismatch")
            check("oldTimestamp", 401, "auth.clock_skew")
            #expect(steps["oldTimestampServerTime"] as? String != nil, "\(method): the hub's time comes with auth.clock_skew")
            check("firstUse", 200, nil)
            check("replayed", 401, "auth.replayed_nonce")
            check("wrongKey", 401, "auth.signature_mismatch")
            // Only the legacy app has debugSignatures on.
            #expect(steps["tamperedPathBase"] as? Bool == (method != "HMAC-SHA256"), "\(method): base string in the refusal")
        }
        let refused = SignatureInterop.outcome(results, "sha1NotAllowed")
        #expect(refused.status == 401 && refused.code == "auth.scheme_not_allowed", "HMAC-SHA1 from an app without SHA-1: \(refused)")
        let inbox = try await scenario.client(scenario.first).inbox(limit: 50)
        let sent = ["HMAC-SHA256", "HMAC-SHA1", "RSA-SHA1", "RSA-SHA256"].compactMap { (results[$0] as? [String: Any])?["packetId"] as? String }
        #expect(sent.count == 4)
        #expect(Set(sent).isSubset(of: Set(inbox.map(\.id.description))))
    }
}
