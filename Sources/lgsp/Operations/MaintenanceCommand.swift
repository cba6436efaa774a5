import ArgumentParser
import Foundation
import LGSPAPI
import LGSPCore

/// `lgsp maintenance announce|list|cancel`: planned maintenance windows, through the admin API.
struct MaintenanceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "maintenance", abstract: "Announce, list and cancel planned maintenance windows (every app is notified).",
        subcommands: [Announce.self, List.self, Cancel.self])

    struct Announce: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Announce a maintenance window: every app gets a hub.maintenance event and the console shows a banner.")
        @OptionGroup var client: ClientOptions
        @Option(help: "Short title (Vietnamese).") var title: String
        @Option(help: "What happens and what apps should do (Vietnamese).") var message: String
        @Option(name: .customLong("message-en"), help: "The message in English (optional).") var messageEn: String?
        @Option(help: "Start, ISO 8601 (2026-12-05T22:00:00+07:00).") var start: String
        @Option(help: "End, ISO 8601.") var end: String
        @Option(help: "An affected service (repeatable).") var service: [String] = []
        @Option(help: "An affected unit code (repeatable).") var unit: [String] = []
        @Flag(help: "Print JSON.") var json = false

        func run() async throws {
            let request = MaintenanceRequest(
                title: title, message: message, messageEn: messageEn, startsAt: try isoDate(start, "--start"), endsAt: try isoDate(end, "--end"),
                services: service.isEmpty ? nil : service, units: unit.isEmpty ? nil : unit)
            try await reportingFailures {
                let window = try await client.adminClient().announceMaintenance(request)
                if json { try Output.json(window); return }
                Output.line("announced maintenance \(window.id): \(window.title), \(window.startsAt.isoMillis) → \(window.endsAt.isoMillis)")
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List maintenance windows under way or to come (--all: also past and cancelled).")
        @OptionGroup var client: ClientOptions
        @Flag(help: "Also past and cancelled windows.") var all = false
        @Flag(help: "Print JSON.") var json = false

        func run() async throws {
            try await reportingFailures {
                let windows = try await client.adminClient().maintenanceWindows(all: all)
                if json { try Output.json(MaintenanceListResponse(items: windows)); return }
                Output.table(
                    ["ID", "PHASE", "START", "END", "TITLE"], windows.map { [$0.id, $0.phase.rawValue, $0.startsAt.isoMillis, $0.endsAt.isoMillis, $0.title] })
            }
        }
    }

    struct Cancel: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Cancel a maintenance window (every app is notified).")
        @OptionGroup var client: ClientOptions
        @Argument(help: "The window's id (from maintenance list).") var id: String
        @Option(help: "Why (optional).") var reason: String?

        func run() async throws {
            try await reportingFailures {
                let window = try await client.adminClient().cancelMaintenance(id: id, reason: reason)
                Output.line("cancelled maintenance \(window.id): \(window.title)")
            }
        }
    }
}

/// An ISO 8601 time from a flag, or a usage error naming the flag.
func isoDate(_ text: String, _ flag: String) throws -> Date {
    guard let date = APICoding.parseDate(text) else {
        throw ValidationError("\(flag) '\(text)' is not an ISO 8601 time such as 2026-12-05T22:00:00+07:00")
    }
    return date
}
