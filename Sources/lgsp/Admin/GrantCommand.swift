import ArgumentParser
import LGSPAPI

/// `lgsp grant add|list`.
struct GrantCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "grant", abstract: "Manage what apps may send to whom.", subcommands: [Add.self, List.self])

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Let an app send (a data type) to units: a code, a glob such as *.H24, or *.")
        @OptionGroup var client: ClientOptions
        @Option(help: "The app's access key.") var app: String
        @Option(name: .customLong("send-to"), help: "CODE, PATTERN (e.g. *.H24) or *.") var sendTo: String
        @Option(name: .customLong("data-type"), help: "Only this data type (default: all).") var dataType: String?
        @Flag(help: "Print JSON.") var json = false

        func run() async throws {
            try await reportingFailures {
                let grant = try await client.adminClient().addGrant(app: app, sendTo: sendTo, dataType: dataType)
                if json { try Output.json(grant); return }
                Output.line("granted: \(grant.app) may send \(grant.dataType ?? "every data type") to \(grant.sendTo)")
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List grants.")
        @OptionGroup var client: ClientOptions
        @Option(help: "Only the grants of this app (access key).") var app: String?
        @Flag(help: "Print JSON.") var json = false

        func run() async throws {
            try await reportingFailures {
                let grants = try await client.adminClient().grants(app: app)
                if json { try Output.json(GrantListResponse(items: grants)); return }
                Output.table(["APP", "SEND TO", "DATA TYPE"], grants.map { [$0.app, $0.sendTo, $0.dataType ?? "*"] })
            }
        }
    }
}
