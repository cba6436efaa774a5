import Foundation
import LGSPCore
import LGSPTransform
import Testing

/// The pieces that put mappings into the packet path: `mappings/datatypes.yaml`, the all-or-nothing
/// `MappingSet`, the converter's choice of format, and the catalogues' publication helpers.
@Suite("Mappings in the pipeline")
struct PipelineTests {
    static let converter = MappingConverter(root: Fixtures.packageRoot)

    static func formats(_ names: String...) throws -> [ContentFormat] { try names.map { try ContentFormat($0) } }

    @Test("the shipped set loads whole: every mapping, its tests, datatypes.yaml and the catalogue sources")
    func shippedSet_loads() throws {
        let status = Self.converter.status
        #expect(status.failure == nil, "\(status.failure?.problems.map(\.description) ?? [])")
        #expect(status.loadedAt != nil)
        let set = status.set
        #expect(set.mappings["citizen-legacy-to-national"] != nil)
        let citizen = try #require(set.dataTypes[try DataType("citizen-record")])
        #expect(citizen.format.rawValue == "citizen-legacy")
        #expect(citizen.conversions[try ContentFormat("citizen-national")] == "citizen-legacy-to-national")
        #expect(set.catalogueSources["ethnic-group"]?.source?.contains("GSO") == true)
        #expect(set.catalogueSources["commune-crosswalk-2025"]?.licence?.contains("MIT") == true)
    }

    @Test("a destination gets the content as sent when it accepts nothing in particular, the arriving format, or an unknown data type")
    func target_asSent() throws {
        let citizen = try DataType("citizen-record")
        #expect(try Self.converter.target(for: citizen, accepts: []) == nil)
        #expect(try Self.converter.target(for: citizen, accepts: try Self.formats("citizen-national", "citizen-legacy")) == nil)
        #expect(try Self.converter.target(for: try DataType("bench"), accepts: try Self.formats("anything")) == nil)
        #expect(Self.converter.converts(citizen))
        #expect(!Self.converter.converts(try DataType("bench")))
    }

    @Test("otherwise the first accepted format a mapping produces, or transform.no_mapping naming what exists")
    func target_converts() throws {
        let citizen = try DataType("citizen-record")
        #expect(try Self.converter.target(for: citizen, accepts: try Self.formats("pdf", "citizen-national"))?.rawValue == "citizen-national")
        let error = #expect(throws: LGSPError.self) { try Self.converter.target(for: citizen, accepts: try Self.formats("pdf")) }
        #expect(error?.code == .noMapping)
        #expect(error?.message.contains("citizen-national") == true, "\(error?.message ?? "")")
    }

    @Test("convert runs the mapping and gives the target's media type; a mapping error keeps file, line and rule")
    func convert_runsTheMapping() async throws {
        let citizen = try DataType("citizen-record")
        let national = try ContentFormat("citizen-national")
        let good = Data(#"{"ho_ten":"lê thị hoa","ngay_sinh":"20/11/2001","so_cccd":"030301000002"}"#.utf8)
        let output = try await Self.converter.convert(good, dataType: citizen, to: national)
        #expect(output.mediaType == "application/json")
        #expect(String(decoding: output.data, as: UTF8.self).contains(#""birthDate":"2001-11-20""#))
        let bad = Data(#"{"ho_ten":"D","ngay_sinh":"31/02/1970","so_cccd":"030070000004"}"#.utf8)
        let error = await #expect(throws: LGSPError.self) { _ = try await Self.converter.convert(bad, dataType: citizen, to: national) }
        #expect(error?.code == .ruleFailed)
        #expect(error?.message.hasPrefix("mappings/citizen-legacy-to-national.mapping.yaml:32: rule 6 (target birthDate)") == true, "\(error?.message ?? "")")
        let edoc = await #expect(throws: LGSPError.self) { _ = try await Self.converter.convert(good, dataType: citizen, to: try ContentFormat("pdf")) }
        #expect(edoc?.code == .noMapping)
    }

    @Test("datatypes.yaml: unknown keys, bad names and a conversion to the arriving format are refused with their line", arguments: [
        ("data-types:\n  citizen-record:\n    format: a\n    mapping: x\n", 4, "unknown key 'mapping'"),
        ("data-types:\n  Citizen:\n    format: a\n", 2, "not a valid data type"),
        ("data-types:\n  citizen:\n    format: A B\n", 3, "not a valid format name"),
        ("data-types:\n  citizen:\n    format: a\n    convert:\n      a: x\n", 5, "arrives as a already"),
        ("data-types:\n  citizen:\n    convert: {b: x}\n", 3, "needs the format"),
        ("types: {}\n", 1, "unknown key 'types'"),
    ])
    func dataTypes_refused(text: String, line: Int, words: String) {
        let error = #expect(throws: LGSPError.self) { try DataTypeFormats(text: text, file: "mappings/datatypes.yaml") }
        #expect(error?.code == .invalidMapping)
        #expect(error?.details["line"] == "\(line)", "\(error?.message ?? "")")
        #expect(error?.message.contains(words) == true, "\(error?.message ?? "")")
        #expect(error?.message.hasPrefix("mappings/datatypes.yaml:\(line): ") == true)
    }

    @Test("a set with a mapping failing its tests, a missing test file or datatypes.yaml naming a missing mapping is refused whole")
    func brokenSet_isRefused() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("lgsp-pipeline-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let mappings = root.appendingPathComponent("mappings")
        try FileManager.default.createDirectory(at: mappings, withIntermediateDirectories: true)
        func write(_ name: String, _ text: String) throws { try Data(text.utf8).write(to: mappings.appendingPathComponent(name)) }
        try write("a.mapping.yaml", "source: {format: json}\ntarget: {format: json}\nrules:\n  - target: x\n    value: 1\n")
        try write("a.test.yaml", "cases:\n  - input: {}\n    expected: {x: 1}\n")
        try write("datatypes.yaml", "data-types:\n  note:\n    format: v1\n    convert: {v2: a}\n")
        guard case .success(let set) = MappingSet.load(root: root) else {
            Issue.record("the small set should load")
            return
        }
        #expect(set.mappings.keys.sorted() == ["a"])

        try write("a.test.yaml", "cases:\n  - input: {}\n    expected: {x: 2}\n")
        try write("b.mapping.yaml", "source: {format: json}\ntarget: {format: json}\nrules:\n  - target: y\n    value: 1\n")
        try write("datatypes.yaml", "data-types:\n  note:\n    format: v1\n    convert: {v2: a, v3: c}\n")
        guard case .failure(let failure) = MappingSet.load(root: root) else {
            Issue.record("the broken set must be refused")
            return
        }
        let codes = failure.problems.map(\.code)
        #expect(codes.contains(.mappingTestFailed))
        #expect(failure.problems.contains { $0.code == .missingMappingFile && $0.message.contains("b.mapping.yaml") && $0.message.contains("no test file") })
        #expect(failure.problems.contains { $0.code == .missingMappingFile && $0.message.hasPrefix("mappings/datatypes.yaml:4: ") && $0.message.contains("mapping c") })
        #expect(failure.fingerprint == MappingFingerprint.of(root: root))
    }

    @Test("a catalogue is written back as RFC 4180 CSV, quoting only what needs it")
    func catalogue_csv() throws {
        let catalogue = try Catalogue(name: "t", csv: "code,name\n01,\"Hà Nội, thủ đô\"\n02,\"Nói \"\"xin chào\"\"\"\n03,Huế\n", file: "t.csv")
        #expect(catalogue.csv() == "code,name\r\n01,\"Hà Nội, thủ đô\"\r\n02,\"Nói \"\"xin chào\"\"\"\r\n03,Huế\r\n")
    }
}
