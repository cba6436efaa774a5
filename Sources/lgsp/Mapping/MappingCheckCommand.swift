import ArgumentParser
import Foundation
import LGSPTransform

/// `lgsp mapping check`: lints every mapping (loads, schemas and catalogues exist, paths valid
/// against the schemas, unreachable rules, test files present). Exit status 1 on any error.
struct MappingCheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check", abstract: "Check every mapping: schemas, catalogues, paths, unreachable rules, tests.")

    @OptionGroup var options: MappingRootOption

    func run() async throws {
        let library = try options.library()
        let issues = MappingLinter(library: library).check()
        for issue in issues { Output.line(issue.description) }
        let errors = issues.filter { $0.severity == .error }.count
        let mappings = library.mappingFiles().count
        Output.line("\(mappings) mappings, \(library.catalogues.catalogues.count) catalogues checked: \(errors) errors, \(issues.count - errors) warnings")
        if errors > 0 { throw ExitCode(1) }
    }
}
