import Foundation
import LGSPAPI
import LGSPClient
import LGSPCore
import LGSPServer
import LGSPTesting
import Testing

/// Record and replay: the cassettes in `Tests/Fixtures/exchanges/` were recorded from a real hub by
/// its recorder (`record.directory`, `record.bodies`); each is replayed with `lgsp replay` against a
/// fresh hub holding the same directory (`Scenario`), signed with the new apps' credentials, and
/// must show no difference. A cassette with one recorded answer changed must fail and name the field.
///
/// `LGSP_RECORD_FIXTURES=1` re-records the cassettes (`recordsRESTSendReceive`).
@Suite("Record and replay", .serialized)
struct ReplayTests {
    static let folder = PackageRoot.path + "/Tests/Fixtures/exchanges"
    static let restCassette = folder + "/rest-send-receive.jsonl"
    static let soapCassette = folder + "/soap-document-exchange.jsonl"

    static func lgsp(_ arguments: [String]) async throws -> ExternalTools.Result {
        try await ExternalTools.run(HubProcess.binaryPath, arguments, environment: [:])
    }

    /// The `--credential` flags mapping the cassette's recorded apps (named by role in its header) to the scenario's.
    static func credentials(cassette: String, scenario: Scenario) throws -> [String] {
        let first = try String(contentsOfFile: cassette, encoding: .utf8).split(separator: "\n").first.map(String.init) ?? ""
        let header = try JSONSerialization.jsonObject(with: Data(first.utf8)) as? [String: Any]
        let apps = (header?["cassette"] as? [String: Any])?["apps"] as? [String: String] ?? [:]
        return apps.flatMap { recorded, role -> [String] in
            let credential = role == "sender" ? scenario.source : scenario.first
            return ["--credential", "\(recorded)=\(credential.accessKey):\(credential.secretKey)"]
        }
    }

    @Test("the REST send/receive cassette replays against a fresh hub without differences")
    func restCassetteReplays() async throws {
        let output = try await Self.replayWithoutDifferences(Self.restCassette)
        for step in ["POST /v1/packets", "/upload", "GET /v1/inbox", "/accept", "/content", "/ack"] {
            #expect(output.contains(step), "the cassette replays \(step)")
        }
    }

    @Test("the SOAP document exchange cassette replays against a fresh hub without differences")
    func soapCassetteReplays() async throws {
        let output = try await Self.replayWithoutDifferences(Self.soapCassette)
        #expect(output.contains("6 exchanges replayed"), "\(output)")
    }

    /// Replays a cassette against a fresh hub with the scenario; expects exit 0 and no difference.
    static func replayWithoutDifferences(_ cassette: String) async throws -> String {
        let hub = try await HubProcess.start()
        defer {
            hub.kill()
            hub.data.remove()
        }
        let scenario = try await Scenario.make(hub)
        let result = try await lgsp(["replay", cassette, "--hub", hub.url] + credentials(cassette: cassette, scenario: scenario))
        #expect(result.status == 0, "\(result.text)\n\(result.stderr)")
        #expect(result.text.contains(", 0 with differences"), "\(result.text)")
        return result.text
    }

    @Test("a changed recorded answer fails the replay with a diff naming the field")
    func changedAnswerShowsDiff() async throws {
        let hub = try await HubProcess.start()
        defer {
            hub.kill()
            hub.data.remove()
        }
        let scenario = try await Scenario.make(hub)
        // The acknowledgement's recorded state becomes `rejected`.
        var lines = try String(contentsOfFile: Self.restCassette, encoding: .utf8).split(separator: "\n").map(String.init)
        let index = try #require(lines.firstIndex { $0.contains("/ack\"") && $0.contains("\"response\"") })
        var entry = try #require(try JSONSerialization.jsonObject(with: Data(lines[index].utf8)) as? [String: Any])
        var response = try #require(entry["response"] as? [String: Any])
        var body = try #require(response["body"] as? [String: Any])
        var json = try #require(body["json"] as? [String: Any])
        #expect(json["state"] as? String == "delivered")
        json["state"] = "rejected"
        body["json"] = json
        response["body"] = body
        entry["response"] = response
        lines[index] = String(decoding: try JSONSerialization.data(withJSONObject: entry, options: [.sortedKeys]), as: UTF8.self)
        let changed = hub.data.path + "/changed.jsonl"
        try lines.joined(separator: "\n").write(toFile: changed, atomically: true, encoding: .utf8)

        let result = try await Self.lgsp(["replay", changed, "--hub", hub.url, "--quiet"] + Self.credentials(cassette: changed, scenario: scenario))
        #expect(result.status == 1, "\(result.text)\n\(result.stderr)")
        #expect(result.text.contains("$.state: \"rejected\" → \"delivered\""), "\(result.text)")
        #expect(result.text.contains("1 with differences"), "\(result.text)")
    }

    @Test("a changed SOAP answer fails the replay with a diff naming the element")
    func changedSOAPAnswerShowsDiff() async throws {
        let hub = try await HubProcess.start()
        defer {
            hub.kill()
            hub.data.remove()
        }
        let scenario = try await Scenario.make(hub)
        let original = try String(contentsOfFile: Self.soapCassette, encoding: .utf8)
        let marker = "<lgsp:ConfirmReceivedResponse>"
        var lines = original.split(separator: "\n").map(String.init)
        let index = try #require(lines.firstIndex { $0.contains(marker) })
        lines[index] = lines[index].replacingOccurrences(of: "<lgsp:State>delivered</lgsp:State>", with: "<lgsp:State>rejected</lgsp:State>")
        let changed = hub.data.path + "/changed-soap.jsonl"
        try lines.joined(separator: "\n").write(toFile: changed, atomically: true, encoding: .utf8)

        let result = try await Self.lgsp(["replay", changed, "--hub", hub.url] + Self.credentials(cassette: changed, scenario: scenario))
        #expect(result.status == 1, "\(result.text)\n\(result.stderr)")
        #expect(result.text.contains("body <lgsp:State>: \"rejected\" → \"delivered\""), "\(result.text)")
        #expect(result.text.contains("6 exchanges replayed, 1 with differences"), "\(result.text)")
    }

    @Test("recording keeps no secret: signatures, secret keys in JSON, WS-Security password and nonce; an oversized body is left out and said so")
    func recordingRedactsSecrets() async throws {
        let recordings = try TemporaryFolder("lgsp-record")
        defer { recordings.remove() }
        let hub = try await HubProcess.start(environment: [
            "LGSP_RECORD_DIRECTORY": recordings.path, "LGSP_RECORD_BODIES": "true", "LGSP_RECORD_MAX_BODY_BYTES": "8192",
        ])
        defer {
            hub.kill()
            hub.data.remove()
        }
        let scenario = try await Scenario.make(hub)  // the admin's createApp answers carry secret keys
        let big = try scenario.file("big.bin", Data(repeating: 7, count: 20_000))
        _ = try await scenario.client(scenario.source).send(to: [Scenario.firstUnit], subject: "Lớn", dataType: "edoc", file: big)
        let envelope = try SOAPDocumentServiceTests.expandedEnvelope("get-traces", into: hub)
        _ = try await RawClient(url: hub.url).send(
            "POST", "/soap/documents", headers: [("content-type", "text/xml; charset=utf-8")], body: try Data(contentsOf: URL(fileURLWithPath: envelope)))
        try await Task.sleep(for: .milliseconds(300))

        var recorded = ""
        let enumerator = FileManager.default.enumerator(atPath: recordings.path)
        while let name = enumerator?.nextObject() as? String {
            guard name.hasSuffix(".jsonl") else { continue }
            recorded += try String(contentsOfFile: recordings.path + "/" + name, encoding: .utf8)
        }
        #expect(recorded.contains("\"secretKey\":\"[redacted]\""))
        #expect(recorded.contains("\"authorization\":\"[redacted]\""))
        #expect(recorded.contains("over the 8192-byte limit"))
        #expect(recorded.contains("AKSOURCE"), "a UsernameToken's user names the cassette")
        for secret in [scenario.source.secretKey, scenario.first.secretKey, scenario.second.secretKey, "kYNfOBbHaGGm8q4Ztrn7dmbnnJQ=", "MTIzNDU2Nzg5MDEyMzQ1Ng==", "AWS4-HMAC-SHA256 Credential"] {
            #expect(!recorded.contains(secret), "\(secret) is not in a cassette")
        }
        for app in [scenario.source.accessKey, "AKSOURCE"] {
            #expect(FileManager.default.fileExists(atPath: recordings.path + "/" + app), "a cassette folder for \(app)")
        }
    }

    @Test("record.apps limits recording to the listed callers")
    func recordOnlyListedApps() async throws {
        let recordings = try TemporaryFolder("lgsp-record")
        defer { recordings.remove() }
        let hub = try await HubProcess.start(environment: ["LGSP_RECORD_DIRECTORY": recordings.path, "LGSP_RECORD_APPS": "AKSOURCE"])
        defer {
            hub.kill()
            hub.data.remove()
        }
        _ = try await Scenario.make(hub)  // the administrator's calls: not listed
        let envelope = try SOAPDocumentServiceTests.expandedEnvelope("get-traces", into: hub)
        _ = try await RawClient(url: hub.url).send(
            "POST", "/soap/documents", headers: [("content-type", "text/xml; charset=utf-8")], body: try Data(contentsOf: URL(fileURLWithPath: envelope)))
        try await Task.sleep(for: .milliseconds(300))
        #expect(try FileManager.default.contentsOfDirectory(atPath: recordings.path) == ["AKSOURCE"])
        let cassette = try FileManager.default.contentsOfDirectory(atPath: recordings.path + "/AKSOURCE")
        let text = try String(contentsOfFile: recordings.path + "/AKSOURCE/" + (cassette.first ?? ""), encoding: .utf8)
        #expect(text.split(separator: "\n").count == 1)
        #expect(text.contains("\"bytes\":") && !text.contains("\"text\":"), "bodies are left out unless record.bodies")
    }

    @Test("record.* keys are read from the environment (LGSP_RECORD_…); recording is off by default")
    func recordConfiguration() async throws {
        let off = try await HubConfiguration.load(environment: [:])
        #expect(off.record.directory == nil && !off.record.bodies && off.record.apps.isEmpty)
        let on = try await HubConfiguration.load(environment: [
            "LGSP_RECORD_DIRECTORY": "/tmp/cassettes", "LGSP_RECORD_APPS": "AK1, AK2", "LGSP_RECORD_BODIES": "true", "LGSP_RECORD_MAX_BODY_BYTES": "1024",
        ])
        #expect(on.record.directory == "/tmp/cassettes")
        #expect(on.record.apps == ["AK1", "AK2"])
        #expect(on.record.bodies && on.record.maxBodyBytes == 1024)
    }

    /// Re-records `rest-send-receive.jsonl` from a real hub (only with `LGSP_RECORD_FIXTURES=1`).
    @Test("records the REST send/receive cassette", .enabled(if: ProcessInfo.processInfo.environment["LGSP_RECORD_FIXTURES"] == "1"))
    func recordsRESTSendReceive() async throws {
        try await Self.record(
            Self.restCassette,
            description: "REST send/receive: the sender creates a packet and uploads its content; the receiver lists its inbox, accepts, downloads and acknowledges"
        ) { scenario in
            let sender = scenario.client(scenario.source)
            let receiver = scenario.client(scenario.first)
            let content = Data("Công văn số 12/STC-VP về việc báo cáo quyết toán quý IV.\n".utf8)
            let file = try scenario.file("cong-van.txt", content)
            let sent = try await sender.send(
                to: [Scenario.firstUnit], subject: "Báo cáo quyết toán quý IV", dataType: "edoc", file: file, mediaType: "text/plain",
                idempotencyKey: "replay-fixture-1")
            let inbox = try await receiver.inbox()
            #expect(inbox.map(\.id).contains(sent.id))
            _ = try await receiver.accept(sent.id)
            let downloaded = try await receiver.download(sent.id)
            #expect(downloaded == content)
            _ = try await receiver.acknowledge(sent.id, sha256: ContentDigest.of(downloaded).hex)
        }
    }

    /// Re-records `soap-document-exchange.jsonl`: SOAP calls signed with SigV4 (a UsernameToken's nonce
    /// cannot be replayed, by design).
    @Test("records the SOAP document exchange cassette", .enabled(if: ProcessInfo.processInfo.environment["LGSP_RECORD_FIXTURES"] == "1"))
    func recordsSOAPDocumentExchange() async throws {
        try await Self.record(
            Self.soapCassette,
            description:
                "SOAP document exchange (SigV4-signed SOAP 1.1): the sender's SendDocument (edXML to 000.00.31.H24 and 000.00.32.H24); the receiver's GetPendingDocumentIds, GetDocument, ConfirmReceived, UpdateTraces (status 03); the sender's GetTraces"
        ) { scenario in
            let raw = RawClient(url: scenario.hub.url)
            let fixtures = PackageRoot.path + "/Tests/Fixtures/soap"
            let letter = try Data(contentsOf: URL(fileURLWithPath: fixtures + "/edxml/official-letter.edxml.xml")).base64EncodedString()
            let status = try Data(contentsOf: URL(fileURLWithPath: fixtures + "/status/accepted-03.status.xml")).base64EncodedString()
            func call(_ credential: CredentialResponse, _ operation: String) async throws -> String {
                let body = Data(
                    """
                    <soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/" xmlns:d="http://lgsp.vn/soap/documents/1"><soap:Body>\
                    \(operation)</soap:Body></soap:Envelope>
                    """.utf8)
                let answer = try await raw.send(
                    "POST", "/soap/documents", headers: [("content-type", "text/xml; charset=utf-8")], body: body,
                    signing: .sigV4(accessKey: credential.accessKey, secretKey: credential.secretKey))
                #expect(answer.status == 200, "\(answer.text)")
                return answer.text
            }
            let sent = try await call(scenario.source, "<d:SendDocument><d:Document>\(letter)</d:Document></d:SendDocument>")
            let id = try #require(sent.range(of: #"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"#, options: .regularExpression).map { String(sent[$0]) })
            let pending = try await call(scenario.first, "<d:GetPendingDocumentIds/>")
            #expect(pending.contains(id))
            _ = try await call(scenario.first, "<d:GetDocument><d:DocumentId>\(id)</d:DocumentId></d:GetDocument>")
            _ = try await call(scenario.first, "<d:ConfirmReceived><d:DocumentId>\(id)</d:DocumentId></d:ConfirmReceived>")
            _ = try await call(
                scenario.first, "<d:UpdateTraces><d:DocumentId>\(id)</d:DocumentId><d:StatusDocument>\(status)</d:StatusDocument></d:UpdateTraces>")
            let traces = try await call(scenario.source, "<d:GetTraces><d:DocumentId>\(id)</d:DocumentId></d:GetTraces>")
            #expect(traces.contains("03"))
        }
    }

    /// Runs `flow` against a recording hub (`record.directory`, `record.bodies`) and writes the
    /// sender's and receiver's entries, in time order, after a header naming the recorded apps' roles.
    static func record(_ cassette: String, description: String, flow: (Scenario) async throws -> Void) async throws {
        let recordings = try TemporaryFolder("lgsp-record")
        defer { recordings.remove() }
        let hub = try await HubProcess.start(environment: ["LGSP_RECORD_DIRECTORY": recordings.path, "LGSP_RECORD_BODIES": "true"])
        defer {
            hub.kill()
            hub.data.remove()
        }
        let scenario = try await Scenario.make(hub)
        try await flow(scenario)
        try await Task.sleep(for: .milliseconds(300))  // an entry is written once its answer is

        var entries: [(String, String)] = []
        for credential in [scenario.source, scenario.first] {
            let folder = recordings.path + "/" + credential.accessKey
            for name in (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [] {
                for line in try String(contentsOfFile: folder + "/" + name, encoding: .utf8).split(separator: "\n") {
                    let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
                    entries.append((object?["at"] as? String ?? "", String(line)))
                }
            }
        }
        #expect(!entries.isEmpty)
        let header: [String: Any] = [
            "cassette": [
                "description": description,
                "setup":
                    "ReplayTests/Scenario: units 000.00.00.H24 > 000.00.02.H24 (sender app, receives edoc), 000.00.31.H24 (receiver app, receives edoc), 000.00.32.H24 (an app receiving *); grant sender → *.H24 edoc",
                "apps": [scenario.source.accessKey: "sender", scenario.first.accessKey: "receiver"],
            ] as [String: Any]
        ]
        let headerLine = String(decoding: try JSONSerialization.data(withJSONObject: header, options: [.sortedKeys, .withoutEscapingSlashes]), as: UTF8.self)
        let text = ([headerLine] + entries.sorted { $0.0 < $1.0 }.map(\.1)).joined(separator: "\n") + "\n"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try text.write(toFile: cassette, atomically: true, encoding: .utf8)
    }
}
