import ArgumentParser
import LGSPAPI

/// `lgsp grant add|list`.
struct GrantCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "grant", abstract: "Manage what apps may send to whom.", subcommands: [Add.self, List.self])

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Let an app send (a data type) to units — a code, a glob such as *.H24, or * — or call a service UNIT/NAME.")
        @OptionGroup var client: ClientOptions
        @Option(help: "The app's access key.") var app: String
        @Option(name: .customLong("send-to"), help: "CODE, PATTERN (e.g. *.H24) or *.") var sendTo: String?
        @Option(name: .customLong("data-type"), help: "Only this data type (default: all).") var dataType: String?
        @Option(help: "A service UNIT/NAME the app may call through the hub.") var service: String?
        @Flag(help: "Print JSON.") var json = false

        func validate() throws {
            guard (sendTo == nil) != (service == nil) else { throw ValidationError("give either --send-to or --service") }
        }

        func run() async throws {
            try await reportingFailures {
                let admin = try client.adminClient()
                let grant = if let service { try await admin.addGrant(app: app, service: service) } else {
                    try await admin.addGrant(app: app, sendTo: sendTo ?? "", dataType: dataType)
                }
                if json { try Output.json(grant); return }
                if let service = grant.service {
                    Output.line("granted: \(grant.app) may call service \(service)")
                } else {
                    Output.line("granted: \(grant.app) may send \(grant.dataType ?? "every data type") to \(grant.sendTo ?? "")")
                }
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
                Output.table(
                    ["APP", "SEND TO / SERVICE", "DATA TYPE"],
                    grants.map { [$0.app, $0.service.map { "service " + $0 } ?? $0.sendTo ?? "", $0.service == nil ? ($0.dataType ?? "*") : "-"] })
            }
        }
    }
}
