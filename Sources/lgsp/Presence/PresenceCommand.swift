import ArgumentParser
import Foundation
import LGSPAPI
import LGSPClient

/// `lgsp presence [UNIT_CODE|ACCESS_KEY]`: whether apps are online (Article 5.9) — holding a stream,
/// or having called the hub within its presence window — with their open connections. With a unit
/// code or an access key any credential will do; without one it lists every app (administrators).
struct PresenceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "presence", abstract: "Show whether a unit's apps (or one app, or every app) are online, with their open streams.")

    @OptionGroup var client: ClientOptions
    @Argument(help: "A unit code or an app's access key; none: every app (administrator credential).") var subject: String?
    @Flag(help: "Print JSON.") var json = false

    func run() async throws {
        try await reportingFailures {
            let hub = try client.adminClient()
            if let subject {
                let presence = try await hub.presence(of: subject)
                if json { try Output.json(presence); return }
                let lastSeen = presence.lastSeen.map { ", last seen \(APICoding.formatDate($0))" } ?? ""
                Output.line("\(presence.subject): \(presence.online ? "online" : "offline")\(lastSeen)")
                Self.table(presence.apps)
            } else {
                let list = try await hub.allPresence()
                if json { try Output.json(list); return }
                Self.table(list.items)
            }
        }
    }

    static func table(_ apps: [AppPresence]) {
        Output.table(
            ["APP", "UNIT", "STATE", "LAST SEEN", "CONNECTIONS", "NAME"],
            apps.map { app in
                [
                    app.accessKey, app.unit?.description ?? "-", app.online ? "online" : "offline", app.lastSeen.map(APICoding.formatDate) ?? "never",
                    app.connections.isEmpty
                        ? "-"
                        : app.connections.map { "\($0.channel) from \($0.address) since \(APICoding.formatDate($0.connectedAt)) (\($0.node))" }
                            .joined(separator: "; "),
                    app.name,
                ]
            })
    }
}
