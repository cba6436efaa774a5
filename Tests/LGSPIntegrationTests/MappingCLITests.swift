import Foundation
import LGSPTesting
import Testing

/// `lgsp mapping test|check` and `lgsp bench mapping` as a mapping author runs them.
@Suite("Command line: mappings")
struct MappingCLITests {
    static func lgsp(_ arguments: [String]) async throws -> ExternalTools.Result {
        try await ExternalTools.run(HubProcess.binaryPath, arguments)
    }

    @Test("mapping test and mapping check pass on every shipped mapping")
    func shippedMappings_pass() async throws {
        let test = try await Self.lgsp(["mapping", "test", "--root", PackageRoot.path])
        #expect(test.status == 0, "\(test.text)\(test.stderr)")
        #expect(test.text.contains("PASS mappings/citizen-legacy-to-national.test.yaml"))
        #expect(test.text.contains("all passed"))
        let check = try await Self.lgsp(["mapping", "check", "--root", PackageRoot.path])
        #expect(check.status == 0, "\(check.text)")
        #expect(check.text.contains(": 0 errors"))
    }

    @Test("a deliberately broken mapping is reported with file, line and rule, and the command fails")
    func brokenMapping_isReported() async throws {
        let root = PackageRoot.path + "/Tests/Fixtures/mapping/broken"
        let check = try await Self.lgsp(["mapping", "check", "--root", root])
        #expect(check.status == 1)
        #expect(check.text.contains("error: mappings/unknown-function.mapping.yaml:12: rule 2: unknown function 'titlecase'"), "\(check.text)")
        let test = try await Self.lgsp(["mapping", "test", "--root", root, root + "/mappings/unknown-function.test.yaml"])
        #expect(test.status == 1)
        #expect(test.text.contains("mappings/unknown-function.mapping.yaml:12: rule 2"))
    }

    @Test("bench mapping prints records/s and MB/s beside the parse rate")
    func benchMapping_printsRates() async throws {
        let bench = try await Self.lgsp(["bench", "mapping", "--root", PackageRoot.path, "--duration", "0.2", "--json"])
        #expect(bench.status == 0, "\(bench.stderr)")
        let figures = try JSONSerialization.jsonObject(with: bench.stdout) as? [[String: Any]]
        #expect(figures?.count == 2)
        #expect(figures?.allSatisfy { ($0["mappingRecordsPerSecond"] as? Double ?? 0) > 0 && ($0["parseMBps"] as? Double ?? 0) > 0 } == true)
    }
}
