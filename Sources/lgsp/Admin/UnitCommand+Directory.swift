import ArgumentParser
import Foundation
import LGSPAPI

/// `lgsp unit search|show` (any app credential, or the administrator's) and
/// `lgsp unit rename|replace|dissolve` (administrator): the smart directory and reorganisations.
extension UnitCommand {
    struct Search: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Search units by code, code prefix, name or abbreviation (with or without diacritics), best first.")
        @OptionGroup var client: ClientOptions
        @Argument(help: "Search text, e.g. \"so tai chinh\", \"UBND Hải An\", \"Sở TT&TT\", 000.00.05.H24 or H24.") var text: String
        @Option(help: "Results per page (1 to 100).") var limit: Int = 20
        @Option(help: "Skip this many results (the 'next' of the previous page).") var offset: Int = 0
        @Flag(help: "Print JSON.") var json = false

        func run() async throws {
            try await reportingFailures {
                let page = try await client.adminClient().searchUnits(text, limit: limit, offset: offset)
                if json { try Output.json(page); return }
                Output.table(
                    ["SCORE", "MATCH", "CODE", "STATUS", "NAME"],
                    page.items.map { [String($0.score), $0.match.rawValue, $0.unit.code.rawValue, UnitCommand.status($0.unit), $0.unit.name] })
                if let next = page.next { Output.line("\(page.total) units match; next page: --offset \(next)") }
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show a unit with its former names and codes and its successors.")
        @OptionGroup var client: ClientOptions
        @Argument(help: "Unit code.") var code: String
        @Flag(help: "Print JSON.") var json = false

        func run() async throws {
            try await reportingFailures {
                let unit = try await client.adminClient().unit(code)
                if json { try Output.json(unit); return }
                UnitCommand.describe(unit)
            }
        }
    }

    struct Rename: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Rename a unit under the same code (the old name stays searchable).")
        @OptionGroup var client: ClientOptions
        @Argument(help: "Unit code.") var code: String
        @Option(help: "New Vietnamese name, with diacritics.") var name: String
        @Flag(help: "Print JSON.") var json = false

        func run() async throws {
            try await reportingFailures {
                let unit = try await client.adminClient().renameUnit(code, name: name)
                if json { try Output.json(unit) } else { Output.line("renamed \(unit.code) to \(unit.name)") }
            }
        }
    }

    struct Replace: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Replace a unit after a reorganisation: it becomes inactive and its successors take over.",
            discussion: """
                With one successor (rename, merge, recode) packets sent to the old code go to the successor and the
                sender is told; with several (split) they are refused with the list of successors.
                """)
        @OptionGroup var client: ClientOptions
        @Argument(help: "Code of the unit replaced.") var code: String
        @Option(help: "Successor codes, comma-separated.") var by: String
        @Option(help: "rename, merge, split or recode (default: merge for one successor, split for several).") var reason: String?
        @Option(help: "When the change took effect: 2025-07-01 (midnight, Vietnam time) or an ISO 8601 date-time (default: now).")
        var effective: String?
        @Flag(help: "Print JSON.") var json = false

        func run() async throws {
            try await reportingFailures {
                let successors = by.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
                let unit = try await client.adminClient().replaceUnit(code, by: successors, reason: reason, effective: effective)
                if json { try Output.json(unit); return }
                UnitCommand.describe(unit)
            }
        }
    }

    struct Dissolve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Dissolve a unit: it becomes inactive without successor, and packets sent to it are refused.")
        @OptionGroup var client: ClientOptions
        @Argument(help: "Unit code.") var code: String
        @Option(help: "When the change took effect (default: now).") var effective: String?
        @Flag(help: "Print JSON.") var json = false

        func run() async throws {
            try await reportingFailures {
                let unit = try await client.adminClient().replaceUnit(code, by: [], reason: "dissolve", effective: effective)
                if json { try Output.json(unit) } else { Output.line("dissolved \(unit.code) \(unit.name)") }
            }
        }
    }

    /// `active`, or `inactive → successors` for a replaced unit.
    static func status(_ unit: UnitBody) -> String {
        guard let replacement = unit.replacement else { return unit.status.rawValue }
        if replacement.by.isEmpty { return "\(unit.status.rawValue) (\(replacement.reason.rawValue))" }
        return "\(unit.status.rawValue) → " + replacement.by.map(\.rawValue).joined(separator: ",")
    }

    static func describe(_ unit: UnitBody) {
        Output.line("\(unit.code) \(unit.name)")
        Output.line("  status: \(status(unit))")
        if let replacement = unit.replacement {
            Output.line("  replaced: \(replacement.reason.rawValue), effective \(APICoding.formatDate(replacement.effective))")
        }
        if let parent = unit.parent { Output.line("  parent: \(parent)") }
        if let names = unit.formerNames { Output.line("  former names: " + names.joined(separator: "; ")) }
        if let codes = unit.formerCodes { Output.line("  former codes: " + codes.map(\.rawValue).joined(separator: ", ")) }
    }
}
