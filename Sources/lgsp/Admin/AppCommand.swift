import ArgumentParser
import LGSPAPI

/// `lgsp app create|list|rotate-key|disable|enable`.
struct AppCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "app", abstract: "Manage apps and their keys.",
        subcommands: [Create.self, List.self, RotateKey.self, Disable.self, Enable.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Register an app of a unit; prints its access key and secret key (shown once).")
        @OptionGroup var client: ClientOptions
        @Option(help: "The unit's code.") var unit: String
        @Option(help: "The app's name.") var name: String
        @Option(help: "Data types it receives: DATATYPE,… or * (default: none).") var receives: String?
        @Flag(help: "Print JSON.") var json = false

        func run() async throws {
            try await reportingFailures {
                let items = (receives ?? "").split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
                let created = try await client.adminClient().createApp(unit: unit, name: name, receives: items)
                if json { try Output.json(created); return }
                Output.line("app created for \(unit): \(created.app.name)")
                Output.line("accessKey: \(created.accessKey)")
                Output.line("secretKey: \(created.secretKey)")
                Output.line("(the secret key is shown only now; store it safely)")
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List apps.")
        @OptionGroup var client: ClientOptions
        @Option(help: "Only the apps of this unit.") var unit: String?
        @Flag(help: "Print JSON.") var json = false

        func run() async throws {
            try await reportingFailures {
                let apps = try await client.adminClient().apps(unit: unit)
                if json { try Output.json(AppListResponse(items: apps)); return }
                Output.table(
                    ["ACCESS KEY", "ROLE", "STATUS", "UNIT", "RECEIVES", "NAME"],
                    apps.map { [$0.accessKey, $0.role.rawValue, $0.status.rawValue, $0.unit?.rawValue ?? "-", $0.receives.joined(separator: ","), $0.name] })
            }
        }
    }

    struct RotateKey: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "rotate-key", abstract: "Issue a new secret key; the old one keeps working during a grace period.")
        @OptionGroup var client: ClientOptions
        @Argument(help: "The app's access key.") var accessKey: String
        @Option(help: "Seconds the previous secret keeps working (default 86400; 0 ends it now).") var grace: Int?
        @Flag(help: "Print JSON.") var json = false

        func run() async throws {
            try await reportingFailures {
                let rotated = try await client.adminClient().rotateKey(accessKey: accessKey, graceSeconds: grace)
                if json { try Output.json(rotated); return }
                Output.line("accessKey: \(rotated.accessKey)")
                Output.line("secretKey: \(rotated.secretKey)")
                if let until = rotated.previousSecretExpiresAt { Output.line("the previous secret key works until \(until.formatted(.iso8601))") }
            }
        }
    }

    struct Disable: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Disable an app: its requests are refused (auth.app_disabled).")
        @OptionGroup var client: ClientOptions
        @Argument(help: "The app's access key.") var accessKey: String

        func run() async throws {
            try await reportingFailures {
                let app = try await client.adminClient().setApp(accessKey: accessKey, enabled: false)
                Output.line("\(app.accessKey) is \(app.status.rawValue)")
            }
        }
    }

    struct Enable: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Enable a disabled app again.")
        @OptionGroup var client: ClientOptions
        @Argument(help: "The app's access key.") var accessKey: String

        func run() async throws {
            try await reportingFailures {
                let app = try await client.adminClient().setApp(accessKey: accessKey, enabled: true)
                Output.line("\(app.accessKey) is \(app.status.rawValue)")
            }
        }
    }
}
