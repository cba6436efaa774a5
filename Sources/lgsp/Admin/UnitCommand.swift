import ArgumentParser
import LGSPAPI

/// `lgsp unit add|list|search|show|rename|replace|dissolve`.
struct UnitCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "unit", abstract: "Manage units (QCVN 102:2016 codes).",
        subcommands: [Add.self, List.self, Search.self, Show.self, Rename.self, Replace.self, Dissolve.self])

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Register a unit.")
        @OptionGroup var client: ClientOptions
        @Option(help: "QCVN 102:2016 code, e.g. 000.00.05.H24.") var code: String
        @Option(help: "Vietnamese name, with diacritics.") var name: String
        @Option(help: "Parent unit code.") var parent: String?
        @Flag(help: "Print JSON.") var json = false

        func run() async throws {
            try await reportingFailures {
                let unit = try await client.adminClient().addUnit(code: code, name: name, parent: parent)
                if json { try Output.json(unit) } else { Output.line("registered \(unit.code) \(unit.name)") }
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List units.")
        @OptionGroup var client: ClientOptions
        @Flag(help: "Print JSON.") var json = false

        func run() async throws {
            try await reportingFailures {
                let units = try await client.adminClient().units()
                if json { try Output.json(UnitListResponse(items: units)); return }
                Output.table(["CODE", "STATUS", "PARENT", "NAME"], units.map { [$0.code.rawValue, $0.status.rawValue, $0.parent?.rawValue ?? "-", $0.name] })
            }
        }
    }
}
