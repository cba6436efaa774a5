import ArgumentParser
import Foundation
import LGSPAPI
import LGSPClient

/// `lgsp peers status`: the hub's federation peer links (administrator credential).
struct PeersCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "peers", abstract: "Federation peer links: their state, queue and errors.", subcommands: [Status.self])

    struct Status: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "status",
            abstract: "Show each peer link: state, circuit breaker, queue depth, oldest queued age, last error (GET /v1/admin/peers).")

        @OptionGroup var client: ClientOptions
        @Flag(help: "Print JSON.") var json = false

        func run() async throws {
            try await reportingFailures {
                let list = try await client.adminClient().peers()
                if json { try Output.json(list); return }
                Output.line("hub \(list.hub), role \(list.role), \(list.items.count) peer(s)")
                Output.table(
                    ["PEER", "STATE", "BREAKER", "QUEUE", "OLDEST", "HANDED OFF", "STATUSES SENT", "LAST ERROR", "URL"],
                    list.items.map { peer in
                        [
                            peer.name, peer.state, peer.breaker, String(peer.queueDepth), String(format: "%.1fs", peer.oldestQueuedSeconds),
                            String(peer.handedOff), String(peer.statusReportsSent), peer.lastError ?? "-", peer.url,
                        ]
                    })
            }
        }
    }
}
