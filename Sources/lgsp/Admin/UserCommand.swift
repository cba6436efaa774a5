import ArgumentParser
import Foundation
import LGSPAPI

/// `lgsp user add|list|disable|enable`: officials who sign in through the hub's SSO.
struct UserCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "user", abstract: "Manage officials who sign in through the SSO.", subcommands: [Add.self, List.self, Disable.self, Enable.self])

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Register an official; the password is read from standard input (--password-stdin).",
            discussion: "Example: printf '%s' \"$PASS\" | lgsp user add --login nguyen.van.an --role unit-officer --unit 000.00.31.H24 --password-stdin")
        @OptionGroup var client: ClientOptions
        @Option(help: "The login name (lowercase letters, digits, . - _).") var login: String
        @Option(help: "The name shown to people (default: the login).") var name: String?
        @Option(name: .customLong("role"), help: "admin, operator or unit-officer (repeat for several).") var roles: [String]
        @Option(help: "The unit of a unit-officer.") var unit: String?
        @Flag(name: .customLong("password-stdin"), help: "Read the password from standard input (required).") var passwordStdin = false
        @Flag(help: "Require a TOTP second factor; prints the secret and otpauth:// URI once.") var totp = false
        @Flag(help: "Print JSON.") var json = false

        func validate() throws {
            guard passwordStdin else { throw ValidationError("give the password on standard input with --password-stdin") }
        }

        func run() async throws {
            try await reportingFailures {
                let input = String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
                // One trailing newline is what `echo` adds, not part of the password.
                let password = input.hasSuffix("\r\n") ? String(input.dropLast(2)) : (input.hasSuffix("\n") ? String(input.dropLast()) : input)
                let created = try await client.adminClient().addOfficial(
                    login: login, name: name, roles: roles, unit: unit, password: password, totp: totp)
                if json { try Output.json(created); return }
                Output.line("official registered: \(created.official.login) (\(created.official.roles.joined(separator: ", ")))")
                if let secret = created.totpSecret, let uri = created.totpURI {
                    Output.line("totpSecret: \(secret)")
                    Output.line("totpURI: \(uri)")
                    Output.line("(the TOTP secret is shown only now; add it to the official's authenticator app)")
                }
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List officials.")
        @OptionGroup var client: ClientOptions
        @Flag(help: "Print JSON.") var json = false

        func run() async throws {
            try await reportingFailures {
                let officials = try await client.adminClient().officials()
                if json { try Output.json(OfficialListResponse(items: officials)); return }
                Output.table(
                    ["LOGIN", "NAME", "ROLES", "UNIT", "TOTP", "STATUS"],
                    officials.map {
                        [
                            $0.login, $0.name, $0.roles.joined(separator: ","), $0.unit?.rawValue ?? "-", $0.totp ? "yes" : "no",
                            $0.disabled ? "disabled" : ($0.lockedUntil != nil ? "locked" : "active"),
                        ]
                    })
            }
        }
    }

    struct Disable: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Refuse an official's sign-in.")
        @OptionGroup var client: ClientOptions
        @Option(help: "The official's login.") var login: String

        func run() async throws {
            try await reportingFailures {
                let official = try await client.adminClient().setOfficialDisabled(login: login, true)
                Output.line("official \(official.login) disabled")
            }
        }
    }

    struct Enable: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Allow a disabled official to sign in again.")
        @OptionGroup var client: ClientOptions
        @Option(help: "The official's login.") var login: String

        func run() async throws {
            try await reportingFailures {
                let official = try await client.adminClient().setOfficialDisabled(login: login, false)
                Output.line("official \(official.login) enabled")
            }
        }
    }
}
