import Foundation
import LGSPCore
import LGSPTransform
import Testing

/// Deliberately broken mappings (Tests/Fixtures/mapping/broken) are reported with file, line and rule.
@Suite("Mapping check: broken mappings")
struct MappingCheckTests {
    static let root = Fixtures.url("mapping/broken")
    static let library: MappingLibrary = try! MappingLibrary(root: root)

    static func issues(_ file: String) -> [MappingIssue] {
        MappingLinter(library: library).check(library.mappingsFolder.appendingPathComponent(file))
    }

    @Test("a broken mapping fails to load with an error naming file, line and rule")
    func unknownFunction_namesFileLineAndRule() {
        let error = #expect(throws: LGSPError.self) {
            try Self.library.loadMapping(at: Self.library.mappingsFolder.appendingPathComponent("unknown-function.mapping.yaml"))
        }
        #expect(error?.code == .invalidMapping)
        #expect(error?.message.hasPrefix("mappings/unknown-function.mapping.yaml:12: rule 2: unknown function 'titlecase'") == true, "\(String(describing: error))")
        #expect(error?.details["line"] == "12")
        #expect(error?.details["rule"] == "2")
        #expect(error?.details["mapping"] == "mappings/unknown-function.mapping.yaml")
    }

    @Test("each broken fixture is reported where the README says",
          arguments: [
            ("unknown-function.mapping.yaml", ErrorCode.invalidMapping, 12, "2"),
            ("bad-nested-rule.mapping.yaml", .invalidMapping, 13, "2.1"),
            ("missing-catalogue.mapping.yaml", .missingMappingFile, 9, "1"),
            ("unreachable-rule.mapping.yaml", .invalidMapping, 8, "1"),
            ("undeclared-path.mapping.yaml", .invalidMapping, 9, "1"),
          ])
    func brokenFixture_isReported(file: String, code: ErrorCode, line: Int, rule: String) {
        let found = Self.issues(file).filter { $0.severity == .error }
        #expect(found.count == 1, "\(found)")
        #expect(found.first?.code == code)
        #expect(found.first?.line == line, "\(found)")
        #expect(found.first?.rule == rule, "\(found)")
        #expect(found.first?.file == "mappings/\(file)")
    }

    @Test("a YAML syntax error names the line")
    func yamlSyntaxError_namesTheLine() {
        let found = Self.issues("bad-yaml.mapping.yaml").filter { $0.code == .invalidMapping }
        #expect(found.count == 1)
        #expect(found.first?.line == 7, "\(found)")
        #expect(found.first?.message.contains("YAML syntax error") == true)
    }

    @Test("the whole broken library reports every problem, and a mapping without tests")
    func check_reportsEveryProblem() {
        let issues = MappingLinter(library: Self.library).check()
        let files = Set(issues.map(\.file))
        #expect(files.contains("mappings/bad-yaml.mapping.yaml"))
        #expect(issues.contains { $0.message.contains("has no test file") })
        #expect(issues.count >= 7, "\(issues)")
    }

    @Test("a test file of the broken library reports its load error instead of passing")
    func testRunner_reportsLoadError() {
        let result = MappingTestRunner(library: Self.library).run(Self.library.mappingsFolder.appendingPathComponent("unknown-function.test.yaml"))
        #expect(!result.passed)
        #expect(result.loadError?.code == .invalidMapping)
    }

    @Test("a mapping test that expects another output fails with a readable difference")
    func testRunner_showsDifferences() throws {
        let result = MappingTestRunner(library: Self.library).run(Self.library.mappingsFolder.appendingPathComponent("unreachable-rule.test.yaml"))
        // The mapping loads (unreachability is a lint), and its one case passes.
        #expect(result.passed, "\(result)")
        let mapping = try Self.library.loadMapping(text: """
            source: {format: json}
            target: {format: json}
            rules:
              - {target: a.b, value: 1}
            """, file: "inline.mapping.yaml")
        let output = try mapping.transform(json: [:])
        #expect(JSONDiff.lines(expected: ["a": ["b": 2, "c": "x"]], actual: output.value) == [
            "/a/b: expected 2, got 1", "/a/c: missing (expected \"x\")",
        ])
    }
}

extension MappingCheckTests {
    @Test("a failing test case makes the file's error mapping.test_failed, naming the case and its line")
    func failingCase_isTestFailed() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("lgsp-mapping-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("mappings"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try "source: {format: json}\ntarget: {format: json}\nrules:\n  - {target: a, source: b, apply: [upper]}\n"
            .write(to: folder.appendingPathComponent("mappings/up.mapping.yaml"), atomically: true, encoding: .utf8)
        try "cases:\n  - name: right\n    input: {b: x}\n    expected: {a: X}\n  - name: wrong\n    input: {b: y}\n    expected: {a: y}\n"
            .write(to: folder.appendingPathComponent("mappings/up.test.yaml"), atomically: true, encoding: .utf8)
        let library = try MappingLibrary(root: folder)
        let result = MappingTestRunner(library: library).run(library.mappingsFolder.appendingPathComponent("up.test.yaml"))
        #expect(!result.passed)
        #expect(result.cases.map(\.passed) == [true, false])
        let error = try #require(result.error)
        #expect(error.code == .mappingTestFailed)
        #expect(error.message.contains("mappings/up.test.yaml:5 wrong: /a: expected \"y\", got \"Y\""), "\(error.message)")
        #expect(MappingLinter(library: library).check().isEmpty)
    }
}

extension MappingCheckTests {
    @Test("a schema that the 2020-12 meta-schema refuses is reported against the endpoint that names it")
    func invalidSchemaDocument_isReported() throws {
        // The broken library with the shipped meta-schemas beside its schemas.
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("lgsp-mapping-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.copyItem(at: Self.root, to: folder)
        try FileManager.default.copyItem(at: Fixtures.packageRoot.appendingPathComponent("schemas/json-schema-2020-12"),
                                         to: folder.appendingPathComponent("schemas/json-schema-2020-12"))
        let library = try MappingLibrary(root: folder)
        let issues = MappingLinter(library: library).check(library.mappingsFolder.appendingPathComponent("invalid-schema.mapping.yaml"))
        #expect(issues.count == 1, "\(issues)")
        #expect(issues.first?.code == .invalidSchema)
        #expect(issues.first?.line == 5)
        #expect(issues.first?.message.contains("not-a-schema.schema.json is not a valid JSON Schema") == true, "\(issues)")
    }
}
