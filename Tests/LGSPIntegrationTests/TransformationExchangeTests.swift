import Foundation
import LGSPAPI
import LGSPClient
import LGSPCore
import LGSPTesting
import LGSPTransform
import Testing

/// Article 8.4 on a real hub: packets converted per destination with the shipped mappings, failures
/// that end one delivery `transform_failed` and are told to the source, the shared catalogues
/// published with versions and ETags, and mappings reloaded without a restart.
@Suite("Transformation in the exchange", .serialized)
struct TransformationExchangeTests {
    static let citizenUnit = "000.00.33.H24"

    /// A hub using the mappings shipped in the package, a source granted `citizen-record`, and
    /// destinations: the first ward's national registry (accepts `citizen-national`), the second
    /// ward's legacy system (accepts `citizen-legacy`, the format packets arrive in), the second
    /// ward's general app (accepts anything: `receives *`), and a third unit's app that accepts only
    /// a format no mapping produces.
    struct Setup {
        let hub: HubProcess
        let scenario: Scenario
        let national: CredentialResponse
        let legacy: CredentialResponse
        let unsupported: CredentialResponse

        static func make(environment: [String: String] = [:]) async throws -> Setup {
            let hub = try await HubProcess.start(environment: ["LGSP_TRANSFORM_DIRECTORY": PackageRoot.path].merging(environment) { $1 })
            let scenario = try await Scenario.make(hub)
            let admin = scenario.admin
            _ = try await admin.addUnit(code: TransformationExchangeTests.citizenUnit, name: "Ủy ban nhân dân Phường Tân Hưng", parent: "000.00.00.H24")
            _ = try await admin.addGrant(app: scenario.source.accessKey, sendTo: "*.H24", dataType: "citizen-record")
            let national = try await admin.createApp(
                unit: Scenario.firstUnit, name: "CSDL quốc gia về dân cư", receives: ["citizen-record"], accepts: ["citizen-national"])
            let legacy = try await admin.createApp(
                unit: Scenario.secondUnit, name: "Hộ tịch cũ", receives: ["citizen-record"], accepts: ["citizen-legacy", "citizen-national"])
            let unsupported = try await admin.createApp(
                unit: TransformationExchangeTests.citizenUnit, name: "Hệ thống khác", receives: ["citizen-record"])
            // Set with the command line, as an operator would.
            let cli = try await CLITests.lgsp(
                ["app", "accepts", unsupported.accessKey, "--formats", "citizen-xml-v9", "--url", hub.url, "--data", hub.dataPath])
            #expect(cli.status == 0, "\(cli.stderr)")
            #expect(cli.text.contains("accepts citizen-xml-v9"), "\(cli.text)")
            #expect(try await admin.apps(unit: TransformationExchangeTests.citizenUnit).first?.accepts == ["citizen-xml-v9"])
            return Setup(hub: hub, scenario: scenario, national: national, legacy: legacy, unsupported: unsupported)
        }

        func client(_ credential: CredentialResponse) -> LGSPClient { scenario.client(credential) }
    }

    /// The cases of the shipped citizen mapping's test file.
    static func citizenCases() throws -> [MappingTestFile.Case] {
        let file = PackageRoot.path + "/mappings/citizen-legacy-to-national.test.yaml"
        return try MappingTestFile(text: try String(contentsOfFile: file, encoding: .utf8), file: "mappings/citizen-legacy-to-national.test.yaml").cases
    }

    static func delivery(_ packet: PacketBody, app: CredentialResponse) throws -> DeliveryBody {
        try #require(packet.deliveries.first { $0.appId == app.app.id })
    }

    /// The source's stored events, read with curl from `GET /v1/events` (a client we did not write).
    static func sourceEvents(_ hub: HubProcess, _ source: CredentialResponse) async throws -> [(type: String, payload: [String: Any])] {
        let curl = try #require(ExternalTools.curl)
        let result = try await ExternalTools.run(curl, [
            "-sS", "-N", "--max-time", "2", "--aws-sigv4", "aws:amz:vn:lgsp", "--user", "\(source.accessKey):\(source.secretKey)",
            "-H", "Last-Event-ID: 0", hub.url + "/v1/events",
        ])
        return result.text.components(separatedBy: "\n\n").compactMap { frame in
            let lines = frame.split(separator: "\n")
            guard let type = lines.first(where: { $0.hasPrefix("event: ") })?.dropFirst("event: ".count),
                let data = lines.first(where: { $0.hasPrefix("data: ") })?.dropFirst("data: ".count),
                let payload = try? JSONSerialization.jsonObject(with: Data(data.utf8)) as? [String: Any]
            else { return nil }
            return (String(type), payload)
        }
    }

    @Test("a citizen record arrives converted where the national format is wanted, and as sent elsewhere; acks use each delivery's digest; the purge removes every variant")
    func conversionPerDestination() async throws {
        let setup = try await Setup.make()
        defer { setup.hub.shutdown() }
        let cases = try Self.citizenCases()
        guard case .output(let expected) = cases[0].expectation else {
            Issue.record("the first case of the citizen test file should expect an output")
            return
        }
        let original = JSONSerializer.data(cases[0].input)
        let originalDigest = ContentDigest.of(original).hex
        let source = setup.client(setup.scenario.source)
        let sent = try await source.send(
            to: [Scenario.firstUnit, Scenario.secondUnit], subject: "Thông tin công dân", dataType: "citizen-record", data: original,
            mediaType: "application/json")

        // The national registry is offered the converted record, with its own size, digest and media type.
        let national = setup.client(setup.national)
        let waiting = try #require(try await national.inbox().first { $0.id == sent.id })
        let accepted = try await national.accept(sent.id)
        #expect(accepted.content == waiting.content)
        #expect(accepted.content.mediaType == "application/json")
        #expect(accepted.content.sha256 != originalDigest)
        let converted = try await national.download(sent.id)
        #expect(ContentDigest.of(converted).hex == accepted.content.sha256)
        #expect(Int64(converted.count) == accepted.content.size)
        let differences = JSONDiff.lines(expected: expected, actual: try JSONParser().parse(converted))
        #expect(differences.isEmpty, "\(differences)")
        // The digest of the original does not acknowledge the converted content.
        let wrong = await #expect(throws: LGSPClientError.self) { _ = try await national.acknowledge(sent.id, sha256: originalDigest) }
        #expect(wrong?.code == .ackDigestMismatch)
        #expect(try await national.acknowledge(sent.id, sha256: accepted.content.sha256).state == .delivered)

        // The source sees which format each delivery got.
        let view = try await source.packet(sent.id)
        let nationalDelivery = try Self.delivery(view, app: setup.national)
        #expect(nationalDelivery.format == "citizen-national")
        #expect(nationalDelivery.content?.sha256 == accepted.content.sha256)
        #expect(view.content.sha256 == originalDigest, "the packet keeps its original digest")

        // A destination accepting the format packets arrive in, and one accepting anything, get the original bytes.
        for credential in [setup.legacy, setup.scenario.second] {
            let client = setup.client(credential)
            let space = try await client.accept(sent.id)
            #expect(space.content.sha256 == originalDigest)
            #expect(try await client.download(sent.id) == original)
            _ = try await client.acknowledge(sent.id, sha256: originalDigest)
            #expect(try Self.delivery(try await source.packet(sent.id), app: credential).format == nil)
        }

        // Every delivery is final: the content and its converted variant are purged.
        var finished = try await source.packet(sent.id)
        for _ in 0..<50 where finished.purgedAt == nil {
            try await Task.sleep(for: .milliseconds(100))
            finished = try await source.packet(sent.id)
        }
        #expect(finished.state == .finished)
        #expect(finished.purgedAt != nil)
        #expect(setup.hub.data.files(under: "data/content").filter { $0.hasSuffix(".blob") }.isEmpty, "no blob is left after the purge")
    }

    @Test("a record the mapping refuses ends transform_failed with file, line and rule, told to the source; other deliveries go on; the original is kept")
    func transformFailure() async throws {
        let setup = try await Setup.make(environment: ["LGSP_TRANSFORM_MAX_CONTENT_BYTES": "4096"])
        defer { setup.hub.shutdown() }
        let bad = try #require(try Self.citizenCases().first { $0.name.contains("impossible date") })
        let original = JSONSerializer.data(bad.input)
        let source = setup.client(setup.scenario.source)
        let sent = try await source.send(
            to: [Scenario.firstUnit, Scenario.secondUnit, Self.citizenUnit], subject: "Bản ghi lỗi", dataType: "citizen-record", data: original,
            mediaType: "application/json")

        let view = try await source.packet(sent.id)
        let failed = try Self.delivery(view, app: setup.national)
        #expect(failed.state == .transformFailed)
        let reason = try #require(failed.reason)
        #expect(reason.hasPrefix("transform.rule_failed: "), "\(reason)")
        #expect(reason.contains("mappings/citizen-legacy-to-national.mapping.yaml:"), "\(reason)")
        #expect(reason.contains("rule 6 (target birthDate)"), "\(reason)")
        #expect(reason.contains("31/02/1970"), "\(reason)")
        let unsupported = try Self.delivery(view, app: setup.unsupported)
        #expect(unsupported.state == .transformFailed)
        #expect(unsupported.reason?.hasPrefix("transform.no_mapping: ") == true, "\(unsupported.reason ?? "")")
        #expect(unsupported.reason?.contains("citizen-xml-v9") == true)
        #expect(view.state == .inTransit, "the other deliveries go on")
        #expect(view.contentAvailable)

        // The failed destination is never offered the packet; the others get the original bytes.
        #expect(try await setup.client(setup.national).inbox().contains { $0.id == sent.id } == false)
        let refused = await #expect(throws: LGSPClientError.self) { _ = try await setup.client(setup.national).accept(sent.id) }
        #expect(refused?.code == .deliveryFinal)
        for credential in [setup.legacy, setup.scenario.second] {
            let client = setup.client(credential)
            _ = try await client.accept(sent.id)
            #expect(try await client.download(sent.id) == original)
        }

        // The source was told, with the same reason, as a packet.status event.
        let events = try await Self.sourceEvents(setup.hub, setup.scenario.source)
        let status = try #require(
            events.first { $0.type == "packet.status" && $0.payload["state"] as? String == "transform_failed" && $0.payload["appId"] as? String == setup.national.app.id },
            "\(events.map(\.type))")
        #expect(status.payload["packetId"] as? String == sent.id.description)
        #expect(status.payload["recipient"] as? String == Scenario.firstUnit)
        #expect(status.payload["reason"] as? String == reason)

        // Content beyond transform.maxContentBytes is not converted (the hub would read it into memory).
        var large = try #require(try Self.citizenCases().first).input
        if case .object(var record) = large {
            record["ghi_chu"] = .string(String(repeating: "dữ liệu ", count: 500))
            large = .object(record)
        }
        let oversized = try await source.send(
            to: [Scenario.firstUnit], subject: "Quá lớn", dataType: "citizen-record", data: JSONSerializer.data(large), mediaType: "application/json")
        let tooLarge = try Self.delivery(try await source.packet(oversized.id), app: setup.national)
        #expect(tooLarge.state == .transformFailed)
        #expect(tooLarge.reason?.hasPrefix("transform.limit_exceeded: ") == true, "\(tooLarge.reason ?? "")")
        #expect(tooLarge.reason?.contains("4096") == true)
    }

    @Test("the shared catalogues are listed with version, rows and licence, served as JSON or CSV with an ETag, and 304 when unchanged")
    func catalogues() async throws {
        let hub = try await HubProcess.start(environment: ["LGSP_TRANSFORM_DIRECTORY": PackageRoot.path])
        defer { hub.shutdown() }
        let scenario = try await Scenario.make(hub)
        let raw = RawClient(url: hub.url)
        let app = RawClient.Signing.sigV4(accessKey: scenario.first.accessKey, secretKey: scenario.first.secretKey)
        let file = try Data(contentsOf: URL(fileURLWithPath: PackageRoot.path + "/mappings/catalogues/ethnic-group.csv"))
        let version = ContentDigest.of(file).hex

        let listed = try await raw.send("GET", "/v1/catalogues", signing: app)
        #expect(listed.status == 200, "\(listed.text)")
        let list = try APICoding.makeDecoder().decode(CatalogueListResponse.self, from: listed.body)
        #expect(Set(list.items.map(\.name)).isSuperset(of: ["ethnic-group", "admin-unit-2025", "commune-crosswalk-2025", "province-crosswalk-2025"]))
        let ethnic = try #require(list.items.first { $0.name == "ethnic-group" })
        #expect(ethnic.version == version)
        #expect(ethnic.rows == 54)
        #expect(ethnic.columns == ["code", "name", "aliases"])
        #expect(ethnic.licence?.isEmpty == false)
        #expect(ethnic.source?.contains("GSO") == true, "\(ethnic.source ?? "")")
        #expect(list.items.first { $0.name == "admin-unit-2025" }?.licence?.contains("MIT") == true)

        let json = try await raw.send("GET", "/v1/catalogues/ethnic-group", signing: app)
        #expect(json.status == 200)
        #expect(json.headers.first(name: "content-type")?.hasPrefix("application/json") == true)
        let tag = try #require(json.headers.first(name: "etag"))
        #expect(tag == "\"\(version)\"")
        let body = try APICoding.makeDecoder().decode(CatalogueResponse.self, from: json.body)
        #expect(body.catalogue.version == version)
        #expect(body.items.count == 54)
        #expect(body.items.first == ["code": "01", "name": "Kinh", "aliases": ""])
        let notModified = try await raw.send("GET", "/v1/catalogues/ethnic-group", headers: [("If-None-Match", tag)], signing: app)
        #expect(notModified.status == 304)
        #expect(notModified.body.isEmpty)
        #expect(notModified.headers.first(name: "etag") == tag)
        let stale = try await raw.send("GET", "/v1/catalogues/ethnic-group", headers: [("If-None-Match", "\"0000\"")], signing: app)
        #expect(stale.status == 200)

        // CSV: by Accept or by ?format=csv, the catalogue's rows as in the file, with an ETag of its own.
        let csv = try await raw.send("GET", "/v1/catalogues/ethnic-group", headers: [("Accept", "text/csv")], signing: app)
        #expect(csv.status == 200)
        #expect(csv.headers.first(name: "content-type")?.hasPrefix("text/csv") == true)
        #expect(csv.text.replacingOccurrences(of: "\r\n", with: "\n") == String(decoding: file, as: UTF8.self))
        let csvTag = try #require(csv.headers.first(name: "etag"))
        #expect(csvTag != tag)
        let byQuery = try await raw.send("GET", "/v1/catalogues/ethnic-group?format=csv", signing: app)
        #expect(byQuery.body == csv.body)
        #expect(try await raw.send("GET", "/v1/catalogues/ethnic-group?format=csv", headers: [("If-None-Match", csvTag)], signing: app).status == 304)
        #expect(try await raw.send("GET", "/v1/catalogues/ethnic-group?format=csv", headers: [("If-None-Match", tag)], signing: app).status == 200)

        // Signed like every request; an unknown catalogue is catalogue.unknown.
        #expect(try await raw.send("GET", "/v1/catalogues").status == 401)
        let missing = try await raw.send("GET", "/v1/catalogues/klingon", signing: app)
        #expect(missing.status == 404)
        #expect(missing.problem?.code == "catalogue.unknown")
    }

    /// A small mapping set in a temporary folder: data type `note` arrives as `note-v1`, converted to
    /// `note-v2` by `note-v1-to-v2`, which writes `greeting`.
    struct NoteMappings {
        let root: String

        init(_ folder: TemporaryFolder) throws {
            root = folder.path + "/transform"
            try FileManager.default.createDirectory(atPath: root + "/mappings", withIntermediateDirectories: true)
            try FileManager.default.createDirectory(atPath: root + "/schemas", withIntermediateDirectories: true)
            try write("datatypes.yaml", """
                data-types:
                  note:
                    format: note-v1
                    convert:
                      note-v2: note-v1-to-v2
                """)
            try set(greeting: "xin chào")
        }

        func write(_ name: String, _ text: String) throws {
            // Through a temporary file and a rename, as editors save: the watcher never reads half a file.
            let path = root + "/mappings/" + name
            try Data(text.utf8).write(to: URL(fileURLWithPath: path + ".tmp"))
            guard rename(path + ".tmp", path) == 0 else { throw HubProcessError(message: "rename \(path)") }
        }

        static func mapping(greeting: String) -> String {
            """
            source: {format: json}
            target: {format: json}
            rules:
              - target: greeting
                value: "\(greeting)"
              - target: name
                source: ten
                required: true
            """
        }

        static func tests(greeting: String) -> String {
            """
            cases:
              - name: greets by name
                input: {ten: An}
                expected: {greeting: "\(greeting)", name: An}
            """
        }

        /// A consistent change: the mapping and its test.
        func set(greeting: String) throws {
            try write("note-v1-to-v2.test.yaml", Self.tests(greeting: greeting))
            try write("note-v1-to-v2.mapping.yaml", Self.mapping(greeting: greeting))
        }
    }

    /// Sends a note and returns what the `note-v2` destination downloads.
    static func convertedNote(_ source: LGSPClient, _ destination: LGSPClient) async throws -> [String: Any] {
        let sent = try await source.send(
            to: [Scenario.firstUnit], subject: "Ghi chú", dataType: "note", data: Data(#"{"ten": "Bình"}"#.utf8), mediaType: "application/json")
        _ = try await destination.accept(sent.id)
        return try #require(try JSONSerialization.jsonObject(with: try await destination.download(sent.id)) as? [String: Any])
    }

    static func status(_ raw: RawClient, _ admin: RawClient.Signing) async throws -> MappingStatusResponse {
        try APICoding.makeDecoder().decode(MappingStatusResponse.self, from: try await raw.send("GET", "/v1/admin/mappings", signing: admin).body)
    }

    @Test("mappings reload without a restart; a broken file or a mapping failing its tests keeps the working set and is reported to admins")
    func reload() async throws {
        let folder = try TemporaryFolder("lgsp-transform")
        defer { folder.remove() }
        let notes = try NoteMappings(folder)
        let hub = try await HubProcess.start(environment: ["LGSP_TRANSFORM_DIRECTORY": notes.root, "LGSP_TRANSFORM_RELOAD_SECONDS": "0.2"])
        defer { hub.shutdown() }
        let scenario = try await Scenario.make(hub)
        let admin = try hub.admin
        let raw = RawClient(url: hub.url)
        let asAdmin = RawClient.Signing.sigV4(accessKey: admin.accessKey, secretKey: admin.secretKey)
        _ = try await scenario.admin.addGrant(app: scenario.source.accessKey, sendTo: "*.H24", dataType: "note")
        let reader = try await scenario.admin.createApp(unit: Scenario.firstUnit, name: "Đọc ghi chú", receives: ["note"], accepts: ["note-v2"])
        let source = scenario.client(scenario.source)
        let destination = scenario.client(reader)

        var status = try await Self.status(raw, asAdmin)
        #expect(status.mappings == ["note-v1-to-v2"])
        #expect(status.dataTypes.first?.conversions == ["note-v2": "note-v1-to-v2"])
        #expect(status.problems.isEmpty)
        let firstLoad = try #require(status.loadedAt)
        #expect(try await Self.convertedNote(source, destination)["greeting"] as? String == "xin chào")
        // Only admins see the status.
        let forbidden = try await raw.send("GET", "/v1/admin/mappings", signing: .sigV4(accessKey: reader.accessKey, secretKey: reader.secretKey))
        #expect(forbidden.status == 403)

        // A consistent change (mapping and test) is picked up without a restart.
        try notes.set(greeting: "chào bạn")
        for _ in 0..<100 {
            status = try await Self.status(raw, asAdmin)
            if let loaded = status.loadedAt, loaded > firstLoad { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(status.problems.isEmpty, "\(status.problems)")
        #expect(try await Self.convertedNote(source, destination)["greeting"] as? String == "chào bạn")
        let secondLoad = try #require(status.loadedAt)

        // A mapping that no longer passes its own tests is refused: the working set stays.
        try notes.write("note-v1-to-v2.mapping.yaml", NoteMappings.mapping(greeting: "tạm biệt"))
        for _ in 0..<100 {
            status = try await Self.status(raw, asAdmin)
            if !status.problems.isEmpty { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        let failedTest = try #require(status.problems.first, "the failing test is reported")
        #expect(failedTest.code == "mapping.test_failed")
        #expect(failedTest.message.contains("note-v1-to-v2.test.yaml"), "\(failedTest.message)")
        #expect(status.loadedAt == secondLoad)
        #expect(try await Self.convertedNote(source, destination)["greeting"] as? String == "chào bạn")

        // A file that does not load is refused the same way, naming the file and the line.
        try notes.write("note-v1-to-v2.mapping.yaml", NoteMappings.mapping(greeting: "chào bạn") + "\n    titlecase: true\n")
        for _ in 0..<100 {
            status = try await Self.status(raw, asAdmin)
            if status.problems.first?.code == "mapping.invalid" { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        let broken = try #require(status.problems.first)
        #expect(broken.code == "mapping.invalid", "\(status.problems)")
        #expect(broken.file == "mappings/note-v1-to-v2.mapping.yaml")
        #expect(broken.line == 9, "\(broken)")
        #expect(status.loadedAt == secondLoad)
        #expect(status.mappings == ["note-v1-to-v2"])
        #expect(try await Self.convertedNote(source, destination)["greeting"] as? String == "chào bạn")
        #expect(hub.data.anyFileContains(Data("mappings not loaded".utf8)), "the refusal is logged")
    }
}
