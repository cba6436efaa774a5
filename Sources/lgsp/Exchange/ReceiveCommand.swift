import ArgumentParser
import Foundation
import LGSPAPI
import LGSPClient
import LGSPCore

/// `lgsp receive --out DIR [--ack] [--follow]`: takes every packet waiting for the app (Article 9):
/// accept, download (digest checked), write `<id>.<ext>` and `<id>.json`, and acknowledge with
/// `--ack`. With `--follow` it then keeps taking packets as the hub announces them (see
/// `ReceiveCommand+Follow.swift`).
struct ReceiveCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "receive", abstract: "Download the packets waiting for this app into a folder.")

    @OptionGroup var client: ClientOptions
    @Option(help: "Folder to write the content and metadata into.") var out: String
    @Flag(help: "Acknowledge each packet after its content is saved and verified.") var ack = false
    @Option(help: "At most this many packets.") var limit = 100
    @Flag(help: "Print JSON lines, one per packet.") var json = false
    @Flag(
        help: """
            Keep running: after the waiting packets, take each packet the hub announces (Server-Sent Events, \
            reconnecting and resuming after interruptions). SIGINT or SIGTERM stops it after the current packet.
            """)
    var follow = false

    struct Received: Codable {
        var packet: InboxItem
        var file: String
        var sha256: String
        var acknowledged: Bool
    }

    func run() async throws {
        try await reportingFailures {
            let taker = Taker(app: try client.appClient(), out: out, ack: ack, json: json)
            try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
            if follow {
                try await taker.follow(limit: limit)
                return
            }
            let items = try await taker.app.inbox(limit: limit)
            if items.isEmpty && !json { Output.line("no packets waiting") }
            for item in items { try await taker.take(item) }
        }
    }
}

/// `lgsp packets [--role sent|received]` and `lgsp packets show ID`.
struct PacketsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "packets", abstract: "Packet history of this app.", subcommands: [List.self, Show.self], defaultSubcommand: List.self)

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List sent or received packets, newest first.")
        @OptionGroup var client: ClientOptions
        @Option(help: "sent or received.") var role = "sent"
        @Option(help: "Page size.") var limit = 50
        @Option(help: "Continue after this packet id (the previous page's 'next').") var before: String?
        @Flag(help: "Print JSON.") var json = false

        func run() async throws {
            try await reportingFailures {
                let page = try await client.appClient().packets(role: role, limit: limit, before: before)
                if json { try Output.json(page); return }
                Output.table(
                    ["ID", "STATE", "PRIORITY", "DELIVERIES", "SUBJECT"],
                    page.items.map { packet in
                        [packet.id.rawValue, packet.state.rawValue, packet.priority.rawValue,
                         packet.deliveries.map { "\($0.recipient):\($0.state.rawValue)" }.joined(separator: " "), packet.subject]
                    })
                if let next = page.next { Output.line("more: --before \(next)") }
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "One packet with its deliveries and history.")
        @OptionGroup var client: ClientOptions
        @Argument(help: "Packet id.") var id: String

        func run() async throws {
            try await reportingFailures {
                guard let packetID = PacketID(id) else { throw ValidationError("'\(id)' is not a packet id") }
                try Output.json(try await client.appClient().packet(packetID))
            }
        }
    }
}
