import Foundation
import LGSPAPI
import LGSPClient
import LGSPCore
import LGSPTesting
import Testing

/// The file-drop adapter on a real hub: apps that only read and write files exchange packets with
/// each other and with REST apps; bad files are refused into `error/`.
@Suite("File-drop adapter", .serialized)
struct FileDropTests {
    static let environment = ["LGSP_FILE_DROP_POLL_SECONDS": "0.1"]

    /// A hub with the scenario's directory; the source and the first ward use file-drop folders.
    static func start(_ environment: [String: String] = [:]) async throws -> (HubProcess, Scenario, DropFolder, DropFolder) {
        let hub = try await HubProcess.start(environment: Self.environment.merging(environment) { $1 })
        let scenario = try await Scenario.make(hub)
        let created = try await scenario.admin.createFileDropFolders(accessKey: scenario.source.accessKey)
        #expect(created.inbox.hasSuffix("/drop/\(scenario.source.accessKey)/inbox"))
        _ = try await scenario.admin.createFileDropFolders(accessKey: scenario.first.accessKey)
        for name in ["inbox", "outbox", "sent", "error", "done"] {
            #expect(FileManager.default.fileExists(atPath: created.folder + "/" + name), "\(name)/ created")
        }
        return (hub, scenario, DropFolder(hub: hub, accessKey: scenario.source.accessKey), DropFolder(hub: hub, accessKey: scenario.first.accessKey))
    }

    @Test("a dropped file arrives in the destination's outbox with its manifest; moving it to done/ acknowledges it")
    func folderToFolder_roundTrip() async throws {
        let (hub, scenario, source, first) = try await Self.start()
        defer { hub.shutdown() }
        let content = Data("Nội dung công văn — \(UUID())".utf8) + Data((0..<100_000).map { UInt8($0 % 251) })
        try source.drop("công văn 123.pdf", content, manifest: [
            "to": [Scenario.firstUnit], "subject": "Công văn 123", "dataType": "edoc", "priority": "urgent", "mediaType": "application/pdf",
        ])
        #expect(try await eventually { source.receipt("công văn 123.pdf") != nil }, "the file is sent")
        let receipt = try #require(source.receipt("công văn 123.pdf"))
        let packetText = try #require(receipt["packetId"] as? String)
        let packetID = try #require(PacketID(packetText))
        #expect(DropFolder.names(source.inbox).isEmpty, "inbox/ is empty: \(DropFolder.names(source.inbox))")
        #expect(FileManager.default.contents(atPath: source.sent + "/công văn 123.pdf") == content)
        #expect(FileManager.default.fileExists(atPath: source.sent + "/công văn 123.pdf.manifest.json"))

        let manifestName = packetID.rawValue + ".manifest.json"
        #expect(try await eventually { DropFolder.manifests(first.outbox)[manifestName] != nil }, "the delivery is written")
        let manifest = try #require(DropFolder.manifests(first.outbox)[manifestName])
        #expect(manifest["file"] as? String == packetID.rawValue + ".pdf")
        #expect(manifest["subject"] as? String == "Công văn 123")
        #expect(manifest["priority"] as? String == "urgent")
        #expect(manifest["from"] as? String == Scenario.sourceUnit)
        #expect(manifest["dataType"] as? String == "edoc")
        #expect(manifest["mediaType"] as? String == "application/pdf")
        #expect(manifest["sha256"] as? String == sha256Hex(content))
        #expect(manifest["size"] as? Int == content.count)
        #expect(FileManager.default.contents(atPath: first.outbox + "/" + packetID.rawValue + ".pdf") == content)

        let sourceClient = scenario.client(scenario.source)
        let before = try await sourceClient.packet(packetID)
        #expect(before.protocol == "file")
        #expect(before.deliveries.map(\.state) == [.accepted], "written, not yet taken")

        try first.take(manifestName)
        #expect(try await eventually { try await sourceClient.packet(packetID).deliveries.map(\.state) == [.delivered] }, "the source sees delivered")
        #expect(try await eventually { try await sourceClient.packet(packetID).contentAvailable == false }, "the content is purged")
        #expect(DropFolder.names(first.outbox).isEmpty)
        #expect(DropFolder.names(hub.dataPath + "/drop/.lgsp/\(scenario.first.accessKey)/written").isEmpty, "the marker is gone")
    }

    @Test("a REST sender reaches a folder receiver, which acknowledges by deleting the files")
    func restToFolder_acknowledgedByDeleting() async throws {
        let (hub, scenario, _, first) = try await Self.start()
        defer { hub.shutdown() }
        let content = Data(#"{"văn bản": "xin chào"}"#.utf8)
        let sender = scenario.client(scenario.source)
        let created = try await sender.send(to: [Scenario.firstUnit], subject: "Qua REST", dataType: "edoc", data: content, mediaType: "application/json")
        let manifestName = created.id.rawValue + ".manifest.json"
        #expect(try await eventually { DropFolder.manifests(first.outbox)[manifestName] != nil })
        #expect(FileManager.default.contents(atPath: first.outbox + "/" + created.id.rawValue + ".json") == content)
        try FileManager.default.removeItem(atPath: first.outbox + "/" + created.id.rawValue + ".json")
        try FileManager.default.removeItem(atPath: first.outbox + "/" + manifestName)
        #expect(try await eventually { try await sender.packet(created.id).deliveries.map(\.state) == [.delivered] })
    }

    @Test("a folder sender reaches a REST receiver, which downloads and acknowledges over the API")
    func folderToREST() async throws {
        let (hub, scenario, source, _) = try await Self.start()
        defer { hub.shutdown() }
        let content = Data("Báo cáo gửi phường Thành Đông".utf8)
        try source.drop("bao-cao.txt", content, manifest: [
            "to": [Scenario.secondUnit], "subject": "Báo cáo tháng", "dataType": "edoc", "mediaType": "text/plain",
        ])
        let receiver = scenario.client(scenario.second)
        #expect(try await eventually { try await receiver.inbox().count == 1 })
        let item = try #require(try await receiver.inbox().first)
        #expect(item.subject == "Báo cáo tháng")
        #expect(item.from == (try #require(UnitCode(lenient: Scenario.sourceUnit))))
        _ = try await receiver.accept(item.id)
        let downloaded = try await receiver.download(item.id)
        #expect(downloaded == content)
        _ = try await receiver.acknowledge(item.id, sha256: sha256Hex(downloaded))
        #expect(source.receipt("bao-cao.txt")?["packetId"] as? String == item.id.rawValue)
        #expect(try await scenario.client(scenario.source).packet(item.id).deliveries.map(\.state) == [.delivered])
    }

    @Test("lgsp app file-drop creates the folders (idempotently); only an administrator may, only for a unit's app")
    func folders_createdByAdministratorOnly() async throws {
        let hub = try await HubProcess.start(environment: Self.environment)
        defer { hub.shutdown() }
        let scenario = try await Scenario.make(hub)
        let folder = DropFolder(hub: hub, accessKey: scenario.second.accessKey)
        try FileManager.default.createDirectory(atPath: folder.path, withIntermediateDirectories: true)
        try Data("kept".utf8).write(to: URL(fileURLWithPath: folder.path + "/note.txt"))
        for _ in 0..<2 {
            let result = try await ExternalTools.run(
                HubProcess.binaryPath, ["app", "file-drop", scenario.second.accessKey, "--url", hub.url, "--data", hub.dataPath])
            #expect(result.status == 0, "\(result.stderr)")
            #expect(result.text.contains(folder.inbox), "\(result.text)")
        }
        #expect(DropFolder.names(folder.path) == ["done", "error", "inbox", "note.txt", "outbox", "sent"])
        await #expect(throws: (any Error).self) { _ = try await scenario.client(scenario.source).createFileDropFolders(accessKey: scenario.source.accessKey) }
        do {
            _ = try await scenario.admin.createFileDropFolders(accessKey: "LGSPNOSUCHAPP0000000")
            Issue.record("an unknown app got folders")
        } catch {
            #expect("\(error)".contains("directory.unknown_app"), "\(error)")
        }
        do {
            _ = try await scenario.admin.createFileDropFolders(accessKey: try hub.admin.accessKey)
            Issue.record("the administrator credential got folders")
        } catch {
            #expect("\(error)".contains("request.invalid_field"), "\(error)")
        }
        #expect(!FileManager.default.fileExists(atPath: DropFolder(hub: hub, accessKey: scenario.source.accessKey).path))
    }

    @Test("a folder the app replaced with a link is never followed; the hub resumes once it is a folder again")
    func linkedFolder_isNotFollowed() async throws {
        let (hub, scenario, _, first) = try await Self.start()
        defer { hub.shutdown() }
        let elsewhere = hub.data.path + "/elsewhere"
        try FileManager.default.createDirectory(atPath: elsewhere, withIntermediateDirectories: true)
        try FileManager.default.removeItem(atPath: first.outbox)
        try FileManager.default.createSymbolicLink(atPath: first.outbox, withDestinationPath: elsewhere)
        let sender = scenario.client(scenario.source)
        let created = try await sender.send(to: [Scenario.firstUnit], subject: "Qua liên kết", dataType: "edoc", data: Data("x".utf8))
        try await Task.sleep(for: .seconds(1))
        #expect(DropFolder.names(elsewhere).isEmpty, "nothing written through the link: \(DropFolder.names(elsewhere))")
        #expect(try await sender.packet(created.id).deliveries.map(\.state) != [.accepted], "the delivery was not taken")
        try FileManager.default.removeItem(atPath: first.outbox)
        try FileManager.default.createDirectory(atPath: first.outbox, withIntermediateDirectories: false)
        #expect(await eventually { DropFolder.manifests(first.outbox)[created.id.rawValue + ".manifest.json"] != nil })
        #expect(DropFolder.names(elsewhere).isEmpty)
    }

    /// What each refused drop must produce: its name in `error/` and the code at the start of its `.error.txt`.
    struct Refused: CustomStringConvertible {
        var errorName: String
        var code: String
        var description: String { "\(errorName) → \(code)" }
    }

    @Test("bad files land in error/ with a .error.txt naming the problem and its code; good ones beside them are sent")
    func refusals_landInErrorFolder() async throws {
        let (hub, scenario, source, _) = try await Self.start(["LGSP_FILE_DROP_MAX_FILE_BYTES": "4096"])
        defer { hub.shutdown() }
        let inbox = source.inbox
        let good: [String: Any] = ["to": [Scenario.firstUnit], "subject": "Hợp lệ", "dataType": "edoc"]
        let manifest = try JSONSerialization.data(withJSONObject: good)
        var expected: [Refused] = []

        // A symbolic link to a file outside the folder.
        try FileManager.default.createSymbolicLink(atPath: inbox + "/link.pdf", withDestinationPath: hub.dataPath + "/admin.json")
        try source.write(inbox + "/link.pdf.manifest.json", manifest)
        expected.append(Refused(errorName: "link.pdf", code: "filedrop.unsafe_file"))
        // A regular payload whose manifest is a link.
        try source.write(inbox + "/linked-manifest.pdf", Data("x".utf8))
        try source.write(hub.data.path + "/elsewhere.json", manifest)
        try FileManager.default.createSymbolicLink(atPath: inbox + "/linked-manifest.pdf.manifest.json", withDestinationPath: hub.data.path + "/elsewhere.json")
        expected.append(Refused(errorName: "linked-manifest.pdf", code: "filedrop.unsafe_file"))
        // A folder and a FIFO posing as payloads.
        try FileManager.default.createDirectory(atPath: inbox + "/folder.pdf", withIntermediateDirectories: false)
        try source.write(inbox + "/folder.pdf.manifest.json", manifest)
        expected.append(Refused(errorName: "folder.pdf", code: "filedrop.unsafe_file"))
        #expect(mkfifo(inbox + "/pipe.bin", 0o600) == 0)
        try source.write(inbox + "/pipe.bin.manifest.json", manifest)
        expected.append(Refused(errorName: "pipe.bin", code: "filedrop.unsafe_file"))
        // Unsafe names: a control character, a leading dot, '..'.
        try source.drop("bell\u{07}.pdf", Data("x".utf8), manifest: good)
        expected.append(Refused(errorName: "bell_.pdf", code: "filedrop.unsafe_file"))
        try source.drop(".hidden.pdf", Data("x".utf8), manifest: good)
        expected.append(Refused(errorName: "_hidden.pdf", code: "filedrop.unsafe_file"))
        try source.drop("a..b.pdf", Data("x".utf8), manifest: good)
        expected.append(Refused(errorName: "a..b.pdf", code: "filedrop.unsafe_file"))
        // Oversize (the limit is 4096 bytes here).
        try source.drop("big.bin", Data(count: 5000), manifest: good)
        expected.append(Refused(errorName: "big.bin", code: "exchange.content_too_large"))
        // Unreadable manifests: truncated JSON (refused once it settled), an unknown member, not JSON with a .done marker.
        try source.write(inbox + "/truncated.pdf", Data("x".utf8))
        try source.write(inbox + "/truncated.pdf.manifest.json", Data(#"{"to": ["000.00.31.H24"], "subj"#.utf8))
        expected.append(Refused(errorName: "truncated.pdf", code: "request.malformed_json"))
        try source.drop("typo.pdf", Data("x".utf8), manifest: ["to": [Scenario.firstUnit], "subject": "s", "dataType": "edoc", "recipients": ["x"]])
        expected.append(Refused(errorName: "typo.pdf", code: "request.unknown_field"))
        try source.write(inbox + "/garbage.pdf", Data("x".utf8))
        try source.write(inbox + "/garbage.pdf.manifest.json", Data([0xFF, 0x00, 0x41]))
        try source.write(inbox + "/garbage.pdf.done", Data())
        expected.append(Refused(errorName: "garbage.pdf", code: "request.malformed_json"))
        // A .done marker without any manifest.
        try source.write(inbox + "/orphan.pdf", Data("x".utf8))
        try source.write(inbox + "/orphan.pdf.done", Data())
        expected.append(Refused(errorName: "orphan.pdf", code: "request.missing_field"))
        // Hub refusals: an unknown recipient, a data type the source is not granted.
        try source.drop("nobody.pdf", Data("x".utf8), manifest: ["to": ["000.00.99.H24"], "subject": "s", "dataType": "edoc"])
        expected.append(Refused(errorName: "nobody.pdf", code: "exchange.unknown_recipient"))
        try source.drop("not-granted.pdf", Data("x".utf8), manifest: ["to": [Scenario.firstUnit], "subject": "s", "dataType": "tax-report"])
        expected.append(Refused(errorName: "not-granted.pdf", code: "exchange.recipient_not_granted"))
        // Good files among them (one written in place and marked complete with NAME.done), and files
        // still being written (left alone).
        try source.drop("good.pdf", Data("ok".utf8), manifest: good)
        try Data("in place".utf8).write(to: URL(fileURLWithPath: inbox + "/marked.pdf"))
        try JSONSerialization.data(withJSONObject: ["to": [Scenario.firstUnit], "subject": "Đánh dấu", "dataType": "edoc"])
            .write(to: URL(fileURLWithPath: inbox + "/marked.pdf.manifest.json"))
        try Data().write(to: URL(fileURLWithPath: inbox + "/marked.pdf.done"))
        try Data("partial".utf8).write(to: URL(fileURLWithPath: inbox + "/later.pdf"))
        try Data("partial".utf8).write(to: URL(fileURLWithPath: inbox + "/later.pdf.manifest.json.part"))
        try Data("rsync".utf8).write(to: URL(fileURLWithPath: inbox + "/.later.pdf.Xy12ab"))

        let allRefused = await eventually(timeout: 30) {
            expected.allSatisfy { source.errorText($0.errorName) != nil } && source.receipt("good.pdf") != nil && source.receipt("marked.pdf") != nil
        }
        #expect(allRefused, "missing: \(expected.filter { source.errorText($0.errorName) == nil }); error/: \(DropFolder.names(source.error))")
        for refusal in expected {
            let text = try #require(source.errorText(refusal.errorName), "\(refusal)")
            #expect(text.hasPrefix(refusal.code + ": "), "\(refusal): \(text)")
            #expect(text.contains("file: "), "\(refusal): \(text)")
            let status = try? FileManager.default.attributesOfItem(atPath: source.error + "/" + refusal.errorName)
            #expect(status != nil, "\(refusal.errorName) itself is in error/")
        }
        // The link was moved, never followed: admin.json is still where it was and error/link.pdf is still a link.
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: source.error + "/link.pdf") == hub.dataPath + "/admin.json")
        #expect(FileManager.default.fileExists(atPath: hub.dataPath + "/admin.json"))
        #expect(try #require(source.errorText("big.bin")).contains("4096"))
        #expect(try #require(source.errorText("nobody.pdf")).contains("000.00.99.H24"))
        // Only the files still being written remain in inbox/; nothing refused was sent.
        #expect(DropFolder.names(source.inbox) == [".later.pdf.Xy12ab", "later.pdf", "later.pdf.manifest.json.part"])
        let sent = try await scenario.client(scenario.source).packets(role: "sent", limit: 100).items
        #expect(Set(sent.map(\.subject)) == ["Hợp lệ", "Đánh dấu"] && sent.count == 2)
        #expect(!FileManager.default.fileExists(atPath: source.sent + "/marked.pdf.done") && DropFolder.names(source.sent).contains("marked.pdf"))
        // The hub is still up.
        #expect(try await scenario.client(scenario.source).inbox().isEmpty)
    }
}
