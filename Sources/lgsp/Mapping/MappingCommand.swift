import ArgumentParser
import Foundation
import LGSPTransform

/// `lgsp mapping …`: test and lint the mapping files of a folder (`mappings/`, `schemas/`).
struct MappingCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mapping", abstract: "Test and check mapping files (mappings/*.mapping.yaml with their *.test.yaml).",
        subcommands: [MappingTestCommand.self, MappingCheckCommand.self])
}

/// The folder whose `mappings/` and `schemas/` the mapping commands read.
struct MappingRootOption: ParsableArguments {
    @Option(name: .customLong("root"), help: "Folder holding mappings/ and schemas/ (default: the current folder).")
    var root: String = FileManager.default.currentDirectoryPath

    func library() throws -> MappingLibrary {
        do {
            return try MappingLibrary(root: URL(fileURLWithPath: root))
        } catch {
            Output.error("error: \(error.description)")
            throw ExitCode(2)
        }
    }
}
