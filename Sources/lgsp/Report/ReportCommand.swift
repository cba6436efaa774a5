import ArgumentParser
import Foundation
import LGSPAPI

/// `lgsp report units --from T --to T [--unit C] [--csv]`: statistics per unit (Articles 5.11–5.12).
struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report", abstract: "Statistics and reports computed by the hub.", subcommands: [Units.self])

    struct Units: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Packets, bytes, delivery outcomes and times, connections and online ratio per unit over [from, to).",
            discussion: """
                The hub computes the report with its own clock. Administrators read every unit; an app (LGSP_ACCESS_KEY)
                reads its own unit with --unit. Every figure is defined in the README (Statistics and reports).
                """)
        @OptionGroup var client: ClientOptions
        @Option(help: "Start of the period (included): ISO 8601 time, or a date (midnight in Vietnam, +07:00).") var from: String
        @Option(help: "End of the period (excluded), same forms.") var to: String
        @Option(help: "Only this unit.") var unit: String?
        @Flag(help: "Print the hub's CSV (header row, UTF-8).") var csv = false
        @Flag(help: "Print JSON.") var json = false

        func run() async throws {
            try await reportingFailures {
                let start = try ReportDates.parse(from, option: "--from")
                let end = try ReportDates.parse(to, option: "--to")
                let hub = try client.adminClient()
                if csv {
                    FileHandle.standardOutput.write(Data(try await hub.unitReportCSV(from: start, to: end, unit: unit).utf8))
                    return
                }
                let report = try await hub.unitReport(from: start, to: end, unit: unit)
                if json { try Output.json(report); return }
                Output.line("units from \(APICoding.formatDate(report.from)) to \(APICoding.formatDate(report.to)) (hub time \(APICoding.formatDate(report.generatedAt)))")
                Output.table(
                    ["UNIT", "SENT", "BYTES", "DELIVERED/REJECTED/EXPIRED/FAILED/OPEN", "MEDIAN", "P95", "RECEIVED", "BYTES", "ONLINE", "NAME"],
                    report.items.map { item in
                        let out = item.sent.deliveries
                        return [
                            item.unit.rawValue, String(item.sent.packets), String(item.sent.bytes),
                            "\(out.delivered)/\(out.rejected)/\(out.expired)/\(out.undeliverable + out.transformFailed)/\(out.open)",
                            ReportDates.duration(item.sent.deliveryTime.medianMillis), ReportDates.duration(item.sent.deliveryTime.p95Millis),
                            String(item.received.packets), String(item.received.bytes),
                            item.connections.onlineRatio.map { String(format: "%.1f%%", $0 * 100) } ?? "-", item.name ?? "",
                        ]
                    })
            }
        }
    }
}

/// Times given on the command line, and durations shown.
enum ReportDates {
    /// An ISO 8601 time, or `YYYY-MM-DD` meaning 00:00 of that day in Vietnam (+07:00).
    static func parse(_ text: String, option: String) throws -> Date {
        if let date = APICoding.parseDate(text) ?? APICoding.parseDate(text + "T00:00:00+07:00") { return date }
        throw ValidationError("\(option) '\(text)' is not an ISO 8601 time such as 2026-11-01T00:00:00+07:00 or a date such as 2026-11-01")
    }

    /// `850 ms`, `12.3 s`, `4.2 min`, `3.1 h`; `-` when absent.
    static func duration(_ millis: Int64?) -> String {
        guard let millis else { return "-" }
        let seconds = Double(millis) / 1000
        if millis < 1000 { return "\(millis) ms" }
        if seconds < 60 { return String(format: "%.1f s", seconds) }
        if seconds < 3600 { return String(format: "%.1f min", seconds / 60) }
        return String(format: "%.1f h", seconds / 3600)
    }
}
