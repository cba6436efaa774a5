import ArgumentParser
import Foundation
import LGSPTransform

/// `lgsp mapping test [file…]`: runs mapping test files and shows a readable difference for each
/// failing case. Without files, runs every `mappings/*.test.yaml`. Exit status 1 when a case fails.
struct MappingTestCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "test", abstract: "Run mapping tests (test files, or mapping files whose test file is beside them).")

    @OptionGroup var options: MappingRootOption
    @Argument(help: "Test or mapping files (default: every mappings/*.test.yaml).") var files: [String] = []

    func run() async throws {
        let library = try options.library()
        let urls = files.isEmpty ? library.testFiles() : files.map { URL(fileURLWithPath: $0).standardizedFileURL }
        guard !urls.isEmpty else {
            Output.error("no mapping test files under \(library.mappingsFolder.path)")
            throw ExitCode(2)
        }
        let runner = MappingTestRunner(library: library)
        var failed = 0
        var cases = 0
        for url in urls {
            let result = runner.run(url)
            cases += result.cases.count
            if let error = result.loadError {
                failed += 1
                Output.line("FAIL \(result.file)")
                Output.line("  \(error.description)")
                continue
            }
            let failures = result.cases.filter { !$0.passed }
            failed += failures.count
            Output.line("\(failures.isEmpty ? "PASS" : "FAIL") \(result.file) (\(result.cases.count) cases)")
            for failure in failures {
                Output.line("  ✘ \(result.file):\(failure.line) \(failure.name)")
                for line in failure.failure ?? [] { Output.line("      \(line)") }
            }
        }
        Output.line("\(cases) cases in \(urls.count) files: \(failed == 0 ? "all passed" : "\(failed) failed")")
        if failed > 0 { throw ExitCode(1) }
    }
}
