import ArgumentParser
import Foundation
import LGSPAPI

/// `lgsp connections --unit C --since T [--until T]`: when a unit's apps connected and disconnected (Article 5.11).
struct ConnectionsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "connections", abstract: "A unit's connection history: each stream an app held, from when to when, from where.")

    @OptionGroup var client: ClientOptions
    @Option(help: "The unit.") var unit: String
    @Option(help: "Start: ISO 8601 time, or a date (midnight in Vietnam, +07:00).") var since: String
    @Option(help: "End (default: the hub's now), same forms.") var until: String?
    @Flag(help: "Print JSON.") var json = false

    func run() async throws {
        try await reportingFailures {
            let history = try await client.adminClient().connectionHistory(
                unit: unit, from: try ReportDates.parse(since, option: "--since"), to: try until.map { try ReportDates.parse($0, option: "--until") })
            if json { try Output.json(history); return }
            Output.table(
                ["CONNECTED", "DISCONNECTED", "DURATION", "CHANNEL", "APP", "ADDRESS", "NODE"],
                history.items.map { item in
                    let end = item.disconnectedAt ?? history.generatedAt
                    return [
                        APICoding.formatDate(item.connectedAt), item.disconnectedAt.map(APICoding.formatDate) ?? "(open)",
                        ReportDates.duration(Int64((end.timeIntervalSince(item.connectedAt) * 1000).rounded())), item.channel,
                        item.appName ?? item.appId, item.address, item.node,
                    ]
                })
        }
    }
}
