import ArgumentParser
import Foundation
import LGSPAPI
import LGSPClient
import LGSPCore

/// `lgsp receive --out DIR [--ack]`: takes every packet waiting for the app (Article 9): accept,
/// download (digest checked), write `<id>.<ext>` and `<id>.json`, and acknowledge with `--ack`.
struct ReceiveCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "receive", abstract: "Download the packets waiting for this app into a folder.")

    @OptionGroup var client: ClientOptions
    @Option(help: "Folder to write the content and metadata into.") var out: String
    @Flag(help: "Acknowledge each packet after its content is saved and verified.") var ack = false
    @Option(help: "At most this many packets.") var limit = 100
    @Flag(help: "Print JSON lines, one per packet.") var json = false

    struct Received: Codable {
        var packet: InboxItem
        var file: String
        var sha256: String
        var acknowledged: Bool
    }

    func run() async throws {
        try await reportingFailures {
            let app = try client.appClient()
            try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
            let items = try await app.inbox(limit: limit)
            if items.isEmpty && !json { Output.line("no packets waiting") }
            for item in items {
                _ = try await app.accept(item.id)
                let file = "\(out)/\(item.id).\(MediaTypes.fileExtension(item.content.mediaType))"
                let bar = ProgressBar(label: "download")
                let digest = try await app.download(item.id, to: file, progress: { bar.update($0, $1) })
                let metadata = try APICoding.makeEncoder().encode(item)
                try metadata.write(to: URL(fileURLWithPath: "\(out)/\(item.id).json"))
                if ack { try await app.acknowledge(item.id, sha256: digest.hex) }
                if json {
                    let line = try APICoding.makeEncoder().encode(Received(packet: item, file: file, sha256: digest.hex, acknowledged: ack))
                    Output.line(String(decoding: line, as: UTF8.self))
                } else {
                    Output.line("\(ack ? "received and acknowledged" : "received") \(item.id) from \(item.from) [\(item.priority.rawValue)] \"\(item.subject)\" → \(file)")
                }
            }
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
