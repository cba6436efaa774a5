import ArgumentParser
import Foundation
import LGSPAPI

/// `lgsp app create|list|rotate-key|disable|enable`.
struct AppCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "app", abstract: "Manage apps and their keys.",
        subcommands: [
            Create.self, List.self, RotateKey.self, Disable.self, Enable.self, Auth.self, Keys.self, RevokeKey.self, ExpireKey.self,
            OfflineLimit.self, Accepts.self, FileDrop.self,
        ])

    /// Reads a PEM file given on the command line.
    static func readPEM(_ path: String?) throws -> String? {
        guard let path else { return nil }
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { throw ValidationError("cannot read the PEM file \(path)") }
        return text
    }

    static func schemeList(_ text: String?) -> [String]? {
        text.map { $0.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) } }
    }

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Register an app of a unit; prints its access key and secret key (shown once).")
        @OptionGroup var client: ClientOptions
        @Option(help: "The unit's code.") var unit: String
        @Option(help: "The app's name.") var name: String
        @Option(help: "Data types it receives: DATATYPE,… or * (default: none).") var receives: String?
        @Option(help: "Content formats it accepts, in order of preference: FORMAT,… (default: the content as sent; see mappings/datatypes.yaml).")
        var accepts: String?
        @Option(name: .customLong("rsa-public-key"), help: "PEM file of the app's RSA public key (for RSA signatures).") var rsaPublicKey: String?
        @Flag(name: .customLong("allow-hmac-sha1"), help: "Allow SHA-1 signatures (HMAC-SHA1, RSA-SHA1) for a legacy app.") var allowSHA1 = false
        @Option(help: "Signature schemes it may use: aws-sigv4,http-message-signatures,oauth1 (default: all).") var schemes: String?
        @Flag(name: .customLong("debug-signatures"), help: "Let refusals show the string the hub signed.") var debugSignatures = false
        @Flag(help: "Print JSON.") var json = false

        func run() async throws {
            try await reportingFailures {
                let items = (receives ?? "").split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
                let auth = UpdateAuthPolicyRequest(
                    schemes: AppCommand.schemeList(schemes), allowSha1: allowSHA1, rsaPublicKey: try AppCommand.readPEM(rsaPublicKey),
                    debugSignatures: debugSignatures)
                let created = try await client.adminClient().createApp(
                    unit: unit, name: name, receives: items, auth: auth, accepts: AppCommand.schemeList(accepts) ?? [])
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

    struct Auth: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Change how an app may sign: schemes, SHA-1, RSA key, debug output.")
        @OptionGroup var client: ClientOptions
        @Argument(help: "The app's access key.") var accessKey: String
        @Option(help: "Signature schemes: aws-sigv4,http-message-signatures,oauth1.") var schemes: String?
        @Option(name: .customLong("allow-hmac-sha1"), help: "true or false.") var allowSHA1: Bool?
        @Option(name: .customLong("rsa-public-key"), help: "PEM file of a new RSA public key.") var rsaPublicKey: String?
        @Flag(name: .customLong("remove-rsa-public-key"), help: "Remove the app's RSA public key.") var removeRSAPublicKey = false
        @Option(name: .customLong("debug-signatures"), help: "true or false.") var debugSignatures: Bool?
        @Flag(help: "Print JSON.") var json = false

        func run() async throws {
            try await reportingFailures {
                let pem = removeRSAPublicKey ? "" : try AppCommand.readPEM(rsaPublicKey)
                let app = try await client.adminClient().setAuthPolicy(
                    accessKey: accessKey,
                    UpdateAuthPolicyRequest(schemes: AppCommand.schemeList(schemes), allowSha1: allowSHA1, rsaPublicKey: pem, debugSignatures: debugSignatures))
                if json { try Output.json(app); return }
                Output.line("\(app.accessKey): schemes \(app.auth.schemes.joined(separator: ",")); SHA-1 \(app.auth.allowSha1 ? "allowed" : "refused"); RSA key \(app.auth.hasRsaPublicKey ? "registered" : "none"); debug \(app.auth.debugSignatures ? "on" : "off")")
            }
        }
    }

    struct OfflineLimit: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "offline-limit",
            abstract: "Set how long an app may stay offline with packets waiting before their sources are told (Article 5.9).",
            discussion: "Give --hours or --seconds (0: never give up), or --default for the hub's exchange.offlineLimitSeconds.")
        @OptionGroup var client: ClientOptions
        @Argument(help: "The app's access key.") var accessKey: String
        @Option(help: "The limit in hours.") var hours: Int?
        @Option(help: "The limit in seconds.") var seconds: Int?
        @Flag(name: .customLong("default"), help: "Use the hub's default limit.") var useDefault = false
        @Flag(help: "Print JSON.") var json = false

        func validate() throws {
            if [hours != nil, seconds != nil, useDefault].filter({ $0 }).count != 1 {
                throw ValidationError("give exactly one of --hours, --seconds or --default")
            }
        }

        func run() async throws {
            try await reportingFailures {
                let limit = useDefault ? nil : hours.map { $0 * 3600 } ?? seconds
                let app = try await client.adminClient().setOfflineLimit(accessKey: accessKey, seconds: limit)
                if json { try Output.json(app); return }
                switch app.offlineLimitSeconds {
                case nil: Output.line("\(app.accessKey): the hub's default offline limit applies")
                case 0: Output.line("\(app.accessKey): deliveries are never given up while it is offline")
                case let value?: Output.line("\(app.accessKey): offline limit \(value) seconds")
                }
            }
        }
    }

    struct Accepts: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Set the content formats an app accepts; the hub converts packets into one of them (Article 8.4).",
            discussion: "Give --formats FORMAT,… in order of preference, or --as-sent to receive the content as the source sent it.")
        @OptionGroup var client: ClientOptions
        @Argument(help: "The app's access key.") var accessKey: String
        @Option(help: "The formats, in order of preference: FORMAT,…") var formats: String?
        @Flag(name: .customLong("as-sent"), help: "Receive the content as the source sent it (no conversion).") var asSent = false
        @Flag(help: "Print JSON.") var json = false

        func validate() throws {
            if (formats != nil) == asSent { throw ValidationError("give exactly one of --formats or --as-sent") }
        }

        func run() async throws {
            try await reportingFailures {
                let list = asSent ? [] : (AppCommand.schemeList(formats) ?? []).filter { !$0.isEmpty }
                let app = try await client.adminClient().setAccepts(accessKey: accessKey, formats: list)
                if json { try Output.json(app); return }
                Output.line(app.accepts.isEmpty
                    ? "\(app.accessKey): receives the content as sent"
                    : "\(app.accessKey): accepts \(app.accepts.joined(separator: ", "))")
            }
        }
    }

    struct Keys: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List an app's secret keys (never the secrets).")
        @OptionGroup var client: ClientOptions
        @Argument(help: "The app's access key.") var accessKey: String
        @Flag(help: "Print JSON.") var json = false

        func run() async throws {
            try await reportingFailures {
                let keys = try await client.adminClient().keys(accessKey: accessKey)
                if json { try Output.json(KeyListResponse(items: keys)); return }
                func text(_ date: Date?) -> String { date.map { $0.formatted(.iso8601) } ?? "-" }
                Output.table(
                    ["KEY ID", "USABLE", "CREATED", "EXPIRES", "REVOKED", "LAST USED"],
                    keys.map { [$0.id, $0.usable ? "yes" : "no", text($0.createdAt), text($0.expiresAt), text($0.revokedAt), text($0.lastUsedAt)] })
            }
        }
    }

    struct RevokeKey: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "revoke-key", abstract: "Revoke one secret key of an app at once.")
        @OptionGroup var client: ClientOptions
        @Argument(help: "The app's access key.") var accessKey: String
        @Argument(help: "The key id (from `lgsp app keys`).") var keyID: String

        func run() async throws {
            try await reportingFailures {
                let key = try await client.adminClient().revokeKey(accessKey: accessKey, keyID: keyID)
                Output.line("key \(key.id) revoked")
            }
        }
    }

    struct ExpireKey: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "expire-key", abstract: "Make one secret key of an app stop working at a time.")
        @OptionGroup var client: ClientOptions
        @Argument(help: "The app's access key.") var accessKey: String
        @Argument(help: "The key id (from `lgsp app keys`).") var keyID: String
        @Option(help: "ISO 8601 time.") var at: String

        func run() async throws {
            try await reportingFailures {
                let key = try await client.adminClient().expireKey(accessKey: accessKey, keyID: keyID, at: try SendCommand.date(at))
                Output.line("key \(key.id) expires at \(key.expiresAt?.formatted(.iso8601) ?? "-")")
            }
        }
    }
}
