import Foundation
import LGSPAPI
import LGSPTesting
import Testing

/// The `lgsp` command line against a live hub: admin commands through the admin API (credential
/// from `--data`), app commands with the app's own credential.
@Suite("Command line", .serialized)
struct CLITests {
    static func lgsp(_ arguments: [String], environment: [String: String] = [:]) async throws -> ExternalTools.Result {
        try await ExternalTools.run(HubProcess.binaryPath, arguments, environment: environment)
    }

    @Test("units, apps and grants are managed from the CLI; send and receive carry a file")
    func adminAndExchange() async throws {
        let hub = try await HubProcess.start()
        defer { hub.shutdown() }
        let common = ["--url", hub.url, "--data", hub.dataPath]
        var result = try await Self.lgsp(["unit", "add", "--code", "000.00.00.H24", "--name", "Ủy ban nhân dân thành phố Hải Phòng"] + common)
        #expect(result.status == 0, "\(result.stderr)")
        result = try await Self.lgsp(["unit", "add", "--code", "000.00.02.H24", "--name", "Sở Tài chính", "--parent", "000.00.00.H24"] + common)
        #expect(result.status == 0)
        result = try await Self.lgsp(["unit", "add", "--code", "000.00.31.H24", "--name", "UBND Phường Hải Dương", "--parent", "000.00.00.H24"] + common)
        #expect(result.status == 0)
        let refused = try await Self.lgsp(["unit", "add", "--code", "00.00.31.H24", "--name", "Sai"] + common)
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("directory.invalid_unit_code"))

        let list = try await Self.lgsp(["unit", "list"] + common)
        #expect(list.text.contains("000.00.31.H24"))
        #expect(list.text.contains("Sở Tài chính"))

        let senderJSON = try await Self.lgsp(["app", "create", "--unit", "000.00.02.H24", "--name", "Văn bản STC", "--json"] + common)
        let sender = try APICoding.makeDecoder().decode(CredentialResponse.self, from: senderJSON.stdout)
        let receiverJSON = try await Self.lgsp(["app", "create", "--unit", "000.00.31.H24", "--name", "Một cửa", "--receives", "edoc", "--json"] + common)
        let receiver = try APICoding.makeDecoder().decode(CredentialResponse.self, from: receiverJSON.stdout)
        #expect(receiver.app.receives == ["edoc"])

        #expect(try await Self.lgsp(["grant", "add", "--app", sender.accessKey, "--send-to", "*.H24", "--data-type", "edoc"] + common).status == 0)
        let grants = try await Self.lgsp(["grant", "list", "--json"] + common)
        #expect(try APICoding.makeDecoder().decode(GrantListResponse.self, from: grants.stdout).items.map(\.sendTo) == ["*.H24"])
        let apps = try await Self.lgsp(["app", "list"] + common)
        #expect(apps.text.contains(sender.accessKey) && apps.text.contains(receiver.accessKey))

        let file = hub.data.path + "/cong-van.txt"
        try Data("Công văn số 05/STC về việc thẩm định dự toán".utf8).write(to: URL(fileURLWithPath: file))
        let asSender = ["LGSP_URL": hub.url, "LGSP_ACCESS_KEY": sender.accessKey, "LGSP_SECRET_KEY": sender.secretKey]
        let asReceiver = ["LGSP_URL": hub.url, "LGSP_ACCESS_KEY": receiver.accessKey, "LGSP_SECRET_KEY": receiver.secretKey]
        let sent = try await Self.lgsp(["send", "--to", "000.00.31.H24", "--subject", "Thẩm định dự toán", "--data-type", "edoc", "--file", file], environment: asSender)
        #expect(sent.status == 0, "\(sent.stderr)")
        #expect(sent.text.contains("sent packet"))

        let out = hub.data.path + "/nhan"
        let received = try await Self.lgsp(["receive", "--out", out, "--ack"], environment: asReceiver)
        #expect(received.status == 0, "\(received.stderr)")
        #expect(received.text.contains("received and acknowledged"))
        let files = try FileManager.default.contentsOfDirectory(atPath: out)
        let content = try #require(files.first { $0.hasSuffix(".txt") })
        #expect(try String(contentsOfFile: out + "/" + content, encoding: .utf8) == "Công văn số 05/STC về việc thẩm định dự toán")
        #expect(files.contains { $0.hasSuffix(".json") })

        let history = try await Self.lgsp(["packets", "--role", "sent"], environment: asSender)
        #expect(history.text.contains("000.00.31.H24:delivered"))

        let rotated = try await Self.lgsp(["app", "rotate-key", sender.accessKey, "--grace", "0", "--json"] + common)
        let newSecret = try APICoding.makeDecoder().decode(CredentialResponse.self, from: rotated.stdout).secretKey
        let stale = try await Self.lgsp(["packets"], environment: asSender)
        #expect(stale.status != 0)
        #expect(stale.stderr.contains("auth.app_disabled") || stale.stderr.contains("auth.signature_mismatch"))
        var fresh = asSender
        fresh["LGSP_SECRET_KEY"] = newSecret
        #expect(try await Self.lgsp(["packets"], environment: fresh).status == 0)

        #expect(try await Self.lgsp(["app", "disable", receiver.accessKey] + common).status == 0)
        let disabled = try await Self.lgsp(["receive", "--out", out], environment: asReceiver)
        #expect(disabled.stderr.contains("auth.app_disabled"))
    }

    @Test("serve --demo loads a directory and prints an example that works as printed")
    func demo() async throws {
        let hub = try await HubProcess.start(arguments: ["--demo"])
        defer { hub.shutdown() }
        let output = hub.standardOutput
        #expect(output.contains("Demo directory loaded"))
        #expect(output.contains("000.00.31.H24"))
        let credentials = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: hub.dataPath + "/demo-apps.json"))) as? [String: Any]
        let sender = try #require(credentials?["sender"] as? [String: String])
        let receiver = try #require(credentials?["receiver"] as? [String: String])
        let file = hub.data.path + "/cong-van.txt"
        try Data("Công văn số 01/STC: thử nghiệm liên thông".utf8).write(to: URL(fileURLWithPath: file))
        let sent = try await Self.lgsp(
            ["send", "--to", "000.00.31.H24", "--subject", "Công văn thử nghiệm", "--data-type", "edoc", "--file", file],
            environment: ["LGSP_URL": hub.url, "LGSP_ACCESS_KEY": sender["accessKey"]!, "LGSP_SECRET_KEY": sender["secretKey"]!])
        #expect(sent.status == 0, "\(sent.stderr)")
        let received = try await Self.lgsp(
            ["receive", "--out", hub.data.path + "/nhan", "--ack"],
            environment: ["LGSP_URL": hub.url, "LGSP_ACCESS_KEY": receiver["accessKey"]!, "LGSP_SECRET_KEY": receiver["secretKey"]!])
        #expect(received.text.contains("received and acknowledged"), "\(received.stderr)")
    }

    @Test("the first start writes admin.json with mode 0600 and says where")
    func adminCredentialFile() async throws {
        let hub = try await HubProcess.start()
        defer { hub.shutdown() }
        #expect(hub.standardOutput.contains("admin.json"))
        let attributes = try FileManager.default.attributesOfItem(atPath: hub.dataPath + "/admin.json")
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        #expect((try FileManager.default.attributesOfItem(atPath: hub.dataPath + "/master.key")[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        let admin = try hub.admin
        #expect(admin.accessKey.hasPrefix("LGSP"))
        // A restart keeps the credential and does not write a new one.
        hub.stop()
        let again = try await HubProcess.start(data: hub.data)
        defer { again.stop() }
        #expect(!again.standardOutput.contains("created the administrator credential"))
        #expect(try again.admin.accessKey == admin.accessKey)
        #expect(try await again.adminClient().units().isEmpty)
    }
}
