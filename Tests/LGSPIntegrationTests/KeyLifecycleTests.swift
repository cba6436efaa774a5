import Foundation
import LGSPAPI
import LGSPClient
import LGSPTesting
import Testing

/// The life of an app's secret keys (Article 10): two active secrets during a rotation, expiry,
/// revocation, and the last time each was used.
@Suite("Key lifecycle", .serialized)
struct KeyLifecycleTests {
    @Test("a rotation keeps the old secret working for the grace period; revoked and expired keys are refused; last use is recorded")
    func rotationExpiryRevocation() async throws {
        let hub = try await HubProcess.start()
        defer { hub.shutdown() }
        let scenario = try await Scenario.make(hub)
        let admin = scenario.admin
        let accessKey = scenario.first.accessKey
        let old = scenario.client(scenario.first)
        #expect(try await old.inbox().isEmpty)

        let rotated = try await admin.rotateKey(accessKey: accessKey, graceSeconds: 3600)
        #expect(rotated.accessKey == accessKey)
        #expect(rotated.previousSecretExpiresAt != nil)
        let new = LGSPClient(url: hub.url, accessKey: accessKey, secretKey: rotated.secretKey)
        #expect(try await old.inbox().isEmpty, "the previous secret still works during the grace period")
        #expect(try await new.inbox().isEmpty)

        var keys = try await admin.keys(accessKey: accessKey)
        #expect(keys.count == 2)
        #expect(keys.allSatisfy { $0.usable })
        #expect(keys.allSatisfy { $0.lastUsedAt != nil }, "both secrets were used and their last use recorded")
        let newest = keys[0]
        let previous = keys[1]
        let retirement = try #require(rotated.previousSecretExpiresAt)
        #expect(abs((previous.expiresAt ?? .distantPast).timeIntervalSince(retirement)) < 0.002, "stored to the millisecond")

        _ = try await admin.revokeKey(accessKey: accessKey, keyID: previous.id)
        let refused = await #expect(throws: LGSPClientError.self) { _ = try await old.inbox() }
        #expect(refused?.code == .signatureMismatch, "the revoked secret no longer verifies")
        #expect(try await new.inbox().isEmpty)

        _ = try await admin.expireKey(accessKey: accessKey, keyID: newest.id, at: Date().addingTimeInterval(-1))
        let expired = await #expect(throws: LGSPClientError.self) { _ = try await new.inbox() }
        #expect(expired?.code == .appDisabled, "an app whose every key expired is told it has no usable key")
        keys = try await admin.keys(accessKey: accessKey)
        #expect(keys.allSatisfy { !$0.usable })

        let fresh = try await admin.rotateKey(accessKey: accessKey, graceSeconds: 0)
        #expect(try await LGSPClient(url: hub.url, accessKey: accessKey, secretKey: fresh.secretKey).inbox().isEmpty)
    }

    @Test("app create takes an RSA public key and the SHA-1 switch; bad keys are refused with the field named")
    func createWithPolicy() async throws {
        let hub = try await HubProcess.start()
        defer { hub.shutdown() }
        let scenario = try await Scenario.make(hub)
        let openssl = try #require(ExternalTools.which("openssl"))
        let pem = hub.data.path + "/app.pub.pem"
        let result = try await ExternalTools.run("/bin/sh", ["-c", "\(openssl) genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 2>/dev/null | \(openssl) pkey -pubout -out '\(pem)'"])
        #expect(result.status == 0)
        let created = try await ExternalTools.run(HubProcess.binaryPath, [
            "app", "create", "--unit", Scenario.firstUnit, "--name", "Hệ thống cũ", "--rsa-public-key", pem, "--allow-hmac-sha1",
            "--schemes", "oauth1,http-message-signatures", "--json", "--url", hub.url, "--data", hub.dataPath,
        ])
        #expect(created.status == 0, "\(created.stderr)")
        let app = try APICoding.makeDecoder().decode(CredentialResponse.self, from: created.stdout).app
        #expect(app.auth.hasRsaPublicKey)
        #expect(app.auth.allowSha1)
        #expect(app.auth.schemes == ["http-message-signatures", "oauth1"])

        let small = hub.data.path + "/small.pem"
        _ = try await ExternalTools.run("/bin/sh", ["-c", "\(openssl) genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:1024 2>/dev/null | \(openssl) pkey -pubout -out '\(small)'"])
        let refused = await #expect(throws: LGSPClientError.self) {
            _ = try await scenario.admin.createApp(
                unit: Scenario.firstUnit, name: "Khóa yếu", receives: [], auth: UpdateAuthPolicyRequest(rsaPublicKey: try String(contentsOfFile: small, encoding: .utf8)))
        }
        if case .problem(_, let problem) = refused {
            #expect(problem.code == "request.invalid_field")
            #expect(problem.field == "rsaPublicKey")
            #expect(problem.detail.contains("1024"))
        }
        let notPEM = await #expect(throws: LGSPClientError.self) {
            _ = try await scenario.admin.setAuthPolicy(accessKey: app.accessKey, UpdateAuthPolicyRequest(rsaPublicKey: "not a key"))
        }
        #expect(notPEM?.code == .invalidField)
        let updated = try await scenario.admin.setAuthPolicy(accessKey: app.accessKey, UpdateAuthPolicyRequest(allowSha1: false, rsaPublicKey: ""))
        #expect(!updated.auth.allowSha1 && !updated.auth.hasRsaPublicKey)
    }
}
