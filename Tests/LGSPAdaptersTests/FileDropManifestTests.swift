import Foundation
import LGSPAdapters
import LGSPCore
import Testing

/// The file-drop codec from fixture pairs: `Tests/Fixtures/filedrop/manifests/NAME.manifest.json`
/// beside `NAME.expected.json` (the decoded request, or the error `code` and `field`).
@Suite("File-drop manifest codec")
struct FileDropManifestTests {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/filedrop/manifests")

    static var cases: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? [])
            .filter { $0.hasSuffix(".manifest.json") }.map { String($0.dropLast(".manifest.json".count)) }.sorted()
    }

    @Test("there are fixture pairs")
    func fixtures_exist() {
        #expect(Self.cases.count >= 10)
    }

    @Test("each manifest decodes to its expected request or error", arguments: cases)
    func manifest_decodesAsExpected(name: String) throws {
        let input = try Data(contentsOf: Self.folder.appendingPathComponent(name + ".manifest.json"))
        let expected = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: Self.folder.appendingPathComponent(name + ".expected.json"))) as? [String: Any])
        if let code = expected["code"] as? String {
            do {
                let manifest = try FileDropManifest.decode(input)
                Issue.record("\(name) decoded to \(manifest) instead of failing with \(code)")
            } catch {
                #expect(error.code.rawValue == code, "\(name): \(error)")
                if let field = expected["field"] as? String { #expect(error.field == field, "\(name): \(error)") }
            }
            return
        }
        let manifest = try FileDropManifest.decode(input)
        #expect(manifest.to == expected["to"] as? [String])
        #expect(manifest.subject == expected["subject"] as? String)
        #expect(manifest.priority.rawValue == expected["priority"] as? String)
        #expect(manifest.dataType.rawValue == expected["dataType"] as? String)
        #expect(manifest.mediaType == expected["mediaType"] as? String)
        let iso = ISO8601DateFormatter()
        iso.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        #expect(manifest.policy.notBefore.map { iso.string(from: $0) } == (expected["notBefore"] as? String).map { iso.string(from: try! #require(Self.date($0))) })
        #expect(manifest.policy.deadline.map { iso.string(from: $0) } == (expected["deadline"] as? String).map { iso.string(from: try! #require(Self.date($0))) })
    }

    static func date(_ text: String) -> Date? {
        let iso = ISO8601DateFormatter()
        if let date = iso.date(from: text) { return date }
        iso.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return iso.date(from: text)
    }

    @Test("the send request carries the file's size, digest, protocol file and the idempotency key")
    func sendRequest_carriesContentAndKey() throws {
        let manifest = try FileDropManifest.decode(Data(#"{"to":["000.00.31.H24"],"subject":"s","dataType":"edoc","mediaType":"application/pdf"}"#.utf8))
        let digest = ContentDigest.of(Data("hello".utf8))
        let request = manifest.sendRequest(size: 5, sha256: digest, idempotencyKey: "k")
        #expect(request.exchangeProtocol == "file")
        #expect(request.content == ContentDescriptor(size: 5, sha256: digest, mediaType: "application/pdf"))
        #expect(request.idempotencyKey == "k")
        #expect(request.to == ["000.00.31.H24"])
    }
}

@Suite("File-drop folder names")
struct FileDropNamesTests {
    struct NameTable: Decodable {
        var safe: [String]
        var unsafe: [String]
    }

    static let table: NameTable = {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/filedrop/names.json")
        return (try? JSONDecoder().decode(NameTable.self, from: Data(contentsOf: url))) ?? NameTable(safe: [], unsafe: [])
    }()

    @Test("safe names pass", arguments: table.safe)
    func safeName_passes(name: String) {
        #expect(FileDropNames.unsafety(of: name) == nil)
    }

    @Test("unsafe names are refused", arguments: table.unsafe)
    func unsafeName_isRefused(name: String) {
        #expect(FileDropNames.unsafety(of: name) != nil, "\(name.debugDescription)")
    }

    @Test("a name longer than the limit is refused")
    func longName_isRefused() {
        #expect(FileDropNames.unsafety(of: String(repeating: "ă", count: 101)) != nil)
        #expect(FileDropNames.unsafety(of: String(repeating: "a", count: 200)) == nil)
    }

    @Test("roles in inbox/: payload, manifest, done marker, parts and hidden files ignored")
    func roles() {
        #expect(FileDropNames.role(of: "a.pdf") == .payload)
        #expect(FileDropNames.role(of: "a.pdf.manifest.json") == .manifest(of: "a.pdf"))
        #expect(FileDropNames.role(of: "a.pdf.done") == .done(of: "a.pdf"))
        #expect(FileDropNames.role(of: "a.pdf.part") == .ignored)
        #expect(FileDropNames.role(of: "a.pdf.manifest.json.part") == .ignored)
        #expect(FileDropNames.role(of: ".a.pdf.Xy12") == .ignored)
        #expect(FileDropNames.role(of: ".manifest.json") == .ignored)
    }

    @Test("the idempotency key is stable for the same file and changes with any of its parts")
    func idempotencyKey_isStableAndSensitive() {
        let digest = ContentDigest.of(Data("x".utf8))
        let key = FileDropNames.idempotencyKey(accessKey: "K", name: "a.pdf", size: 1, modifiedNanoseconds: 10, sha256: digest)
        #expect(key == FileDropNames.idempotencyKey(accessKey: "K", name: "a.pdf", size: 1, modifiedNanoseconds: 10, sha256: digest))
        #expect(key.count <= 200)
        #expect(key != FileDropNames.idempotencyKey(accessKey: "L", name: "a.pdf", size: 1, modifiedNanoseconds: 10, sha256: digest))
        #expect(key != FileDropNames.idempotencyKey(accessKey: "K", name: "b.pdf", size: 1, modifiedNanoseconds: 10, sha256: digest))
        #expect(key != FileDropNames.idempotencyKey(accessKey: "K", name: "a.pdf", size: 2, modifiedNanoseconds: 10, sha256: digest))
        #expect(key != FileDropNames.idempotencyKey(accessKey: "K", name: "a.pdf", size: 1, modifiedNanoseconds: 11, sha256: digest))
        #expect(key != FileDropNames.idempotencyKey(accessKey: "K", name: "a.pdf", size: 1, modifiedNanoseconds: 10, sha256: ContentDigest.of(Data("y".utf8))))
        // Parts are separated: ("ab", "c") and ("a", "bc") differ.
        #expect(FileDropNames.idempotencyKey(accessKey: "ab", name: "c", size: 1, modifiedNanoseconds: 1, sha256: digest)
            != FileDropNames.idempotencyKey(accessKey: "a", name: "bc", size: 1, modifiedNanoseconds: 1, sha256: digest))
    }

    @Test("outbox names: PACKETID.EXT from the media type, PACKETID.manifest.json")
    func outboxNames() throws {
        let id = try #require(PacketID("01JDQ5Z3XK8V7T2N4M6P8R0S2A") ?? PacketID.generate())
        #expect(FileDropNames.outboxPayload(id, mediaType: "application/pdf") == id.rawValue + ".pdf")
        #expect(FileDropNames.outboxPayload(id, mediaType: "application/json; charset=utf-8") == id.rawValue + ".json")
        #expect(FileDropNames.outboxPayload(id, mediaType: "application/vnd.edxml+xml") == id.rawValue + ".xml")
        #expect(FileDropNames.outboxPayload(id, mediaType: "application/x-unknown") == id.rawValue + ".bin")
        #expect(FileDropNames.outboxManifest(id) == id.rawValue + ".manifest.json")
    }

    @Test("a free name skips names taken by the file or its companions")
    func freeName() {
        let taken: Set = ["a.pdf", "a.pdf.2.error.txt"]
        #expect(FileDropNames.free("b.pdf", isTaken: taken.contains, companions: [".error.txt"]) == "b.pdf")
        #expect(FileDropNames.free("a.pdf", isTaken: taken.contains, companions: [".error.txt"]) == "a.pdf.3")
    }
}

@Suite("File-drop outbox steps")
struct FileDropOutboxStepTests {
    typealias Seen = FileDropOutboxStep.Observation

    @Test("every combination after a crash leads to the right step", arguments: [
        (Seen(offered: true, marker: false, manifestInOutbox: false, payloadInOutbox: false, manifestInDone: false), FileDropOutboxStep.write),
        // Payload written, crash before the marker: write again (the rename replaces it).
        (Seen(offered: true, marker: false, manifestInOutbox: false, payloadInOutbox: true, manifestInDone: false), .write),
        (Seen(offered: false, marker: false, manifestInOutbox: false, payloadInOutbox: false, manifestInDone: false), .none),
        // Marker written, crash before the manifest.
        (Seen(offered: true, marker: true, manifestInOutbox: false, payloadInOutbox: true, manifestInDone: false), .finishManifest),
        (Seen(offered: true, marker: true, manifestInOutbox: true, payloadInOutbox: true, manifestInDone: false), .wait),
        // The app moved both to done/ or deleted both.
        (Seen(offered: true, marker: true, manifestInOutbox: false, payloadInOutbox: false, manifestInDone: true), .acknowledge),
        (Seen(offered: true, marker: true, manifestInOutbox: false, payloadInOutbox: false, manifestInDone: false), .acknowledge),
        // Acknowledged, crash before the marker was removed: the delivery is no longer offered.
        (Seen(offered: false, marker: true, manifestInOutbox: false, payloadInOutbox: false, manifestInDone: true), .acknowledge),
        // The app moved the manifest to done/ first, the payload still in outbox/.
        (Seen(offered: true, marker: true, manifestInOutbox: false, payloadInOutbox: true, manifestInDone: true), .acknowledge),
    ])
    func step(seen: Seen, expected: FileDropOutboxStep) {
        #expect(FileDropOutboxStep.decide(seen) == expected)
    }
}
