import Foundation
import LGSPCore
import LGSPTransform
import Testing

/// Every mapping shipped in mappings/ passes its own test file and `lgsp mapping check`, so CI
/// catches a broken mapping, schema or catalogue.
@Suite("Shipped mappings")
struct ShippedMappingsTests {
    static let library: MappingLibrary = try! MappingLibrary(root: Fixtures.packageRoot)
    static let testFiles = library.testFiles().map(\.lastPathComponent)

    static func describe(_ result: MappingTestRunner.FileResult) -> String {
        if let error = result.loadError { return "\(result.file): \(error.description)" }
        return result.cases.filter { !$0.passed }.map { "\(result.file):\($0.line) \($0.name):\n  " + ($0.failure ?? []).joined(separator: "\n  ") }
            .joined(separator: "\n")
    }

    @Test("there are shipped mappings, each with a test file")
    func shippedMappings_exist() {
        #expect(Self.library.mappingFiles().count >= 4)
        #expect(Self.testFiles.count == Self.library.mappingFiles().count)
    }

    @Test("a shipped mapping passes its test file", arguments: testFiles)
    func shippedMapping_passesItsTests(file: String) {
        let result = MappingTestRunner(library: Self.library).run(Self.library.mappingsFolder.appendingPathComponent(file))
        #expect(result.passed, "\(Self.describe(result))")
        #expect(!result.cases.isEmpty)
    }

    @Test("mapping check finds no problem in the shipped mappings")
    func shippedMappings_passCheck() {
        let issues = MappingLinter(library: Self.library).check()
        #expect(issues.isEmpty, "\(issues.map(\.description).joined(separator: "\n"))")
    }

    @Test("every shipped JSON Schema is valid against the 2020-12 meta-schema")
    func shippedSchemas_areValidSchemas() throws {
        let folder = Fixtures.packageRoot.appendingPathComponent("schemas").resolvingSymlinksInPath()
        let files = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: nil)?.compactMap { $0 as? URL }
            .filter { $0.pathExtension == "json" && !$0.path.contains("json-schema-2020-12") } ?? []
        #expect(!files.isEmpty)
        let validator = JSONSchemaValidator(registry: Self.library.schemas)
        for file in files {
            let schema = try JSONParser().parse(try Data(contentsOf: file))
            let issues = try validator.validate(schema, against: "https://json-schema.org/draft/2020-12/schema")
            #expect(issues.isEmpty, "\(file.lastPathComponent): \(issues)")
        }
    }
}

extension ShippedMappingsTests {
    @Test("one loaded mapping converts from many threads at once (XPath expressions and schemas are shared)")
    func mapping_isSharedAcrossThreads() async throws {
        let mapping = try Self.library.mapping(named: "edxml-to-summary")
        let url = Self.library.mappingsFolder.appendingPathComponent("edxml-to-summary.test.yaml")
        let tests = try MappingTestFile(text: try String(contentsOf: url, encoding: .utf8), file: "edxml-to-summary.test.yaml")
        guard case .string(let xml) = tests.cases[0].input, case .output(let expected) = tests.cases[0].expectation else {
            Issue.record("the first case should be an XML input with an expected output")
            return
        }
        try await withThrowingTaskGroup(of: Bool.self) { group in
            for _ in 0..<8 {
                group.addTask {
                    var same = true
                    for _ in 0..<25 where try mapping.transform(Data(xml.utf8)).value != expected { same = false }
                    return same
                }
            }
            for try await same in group { #expect(same) }
        }
    }
}
