import ArgumentParser
import Foundation
import LGSPAPI
import LGSPCore

/// `lgsp incident open|list|show|note|resolve`: the incident log, through the admin API. Every step
/// is written to the audit log, and `show` lists the entries.
struct IncidentCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "incident", abstract: "The incident log: open, note what was done, resolve (each step is an audit entry).",
        subcommands: [Open.self, List.self, Show.self, Note.self, Resolve.self])

    struct Open: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Open an incident.")
        @OptionGroup var client: ClientOptions
        @Option(help: "What is wrong, in a line.") var title: String
        @Option(help: "minor, major or critical.") var severity = "major"
        @Option(help: "What is known so far (optional).") var text: String?
        @Flag(help: "Print JSON.") var json = false

        func run() async throws {
            try await reportingFailures {
                let incident = try await client.adminClient().openIncident(title: title, severity: severity, text: text)
                if json { try Output.json(incident); return }
                Output.line("opened incident \(incident.id) (\(incident.severity)): \(incident.title)")
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List incidents, newest first.")
        @OptionGroup var client: ClientOptions
        @Flag(help: "Only unresolved incidents.") var open = false
        @Flag(help: "Print JSON.") var json = false

        func run() async throws {
            try await reportingFailures {
                let incidents = try await client.adminClient().incidents(openOnly: open)
                if json { try Output.json(IncidentListResponse(items: incidents)); return }
                Output.table(
                    ["ID", "STATUS", "SEVERITY", "OPENED", "TITLE"],
                    incidents.map { [String($0.id), $0.status, $0.severity, $0.openedAt.isoMillis, $0.title] })
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show an incident: its steps and the audit entries recording them.")
        @OptionGroup var client: ClientOptions
        @Argument(help: "The incident's id.") var id: Int64
        @Flag(help: "Print JSON.") var json = false

        func run() async throws {
            try await reportingFailures {
                let incident = try await client.adminClient().incident(id: id)
                if json { try Output.json(incident); return }
                Output.line("incident \(incident.id) [\(incident.status), \(incident.severity)] \(incident.title)")
                Output.table(
                    ["TIME", "KIND", "BY", "AUDIT", "TEXT"],
                    incident.actions.map { [$0.at.isoMillis, $0.kind, $0.by, $0.auditSequence.map(String.init) ?? "-", $0.text] })
                for entry in incident.audit ?? [] {
                    Output.line("audit \(entry.sequence) \(entry.action) \(entry.hash.prefix(16))…")
                }
            }
        }
    }

    struct Note: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add what was done or found to an open incident.")
        @OptionGroup var client: ClientOptions
        @Argument(help: "The incident's id.") var id: Int64
        @Argument(help: "The note.") var text: String

        func run() async throws {
            try await reportingFailures {
                let incident = try await client.adminClient().addIncidentAction(id: id, text: text)
                Output.line("incident \(incident.id): \(incident.actions.count) steps")
            }
        }
    }

    struct Resolve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Resolve an incident with what fixed it.")
        @OptionGroup var client: ClientOptions
        @Argument(help: "The incident's id.") var id: Int64
        @Option(help: "What fixed it.") var resolution: String

        func run() async throws {
            try await reportingFailures {
                let incident = try await client.adminClient().resolveIncident(id: id, resolution: resolution)
                Output.line("resolved incident \(incident.id) at \(incident.resolvedAt?.isoMillis ?? "?")")
            }
        }
    }
}
