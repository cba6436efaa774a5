import ArgumentParser
import Foundation
import LGSPAPI

/// `lgsp sso client add|list|disable|enable`: business apps registered with the hub's SSO (Article 11).
struct SSOCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sso", abstract: "The hub's single sign-on (OpenID Connect).", subcommands: [ClientCommand.self])

    struct ClientCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "client", abstract: "Register business apps as SSO clients.", subcommands: [Add.self, List.self, Disable.self, Enable.self])
    }

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Register an app; prints its client id, client secret (shown once) and the URLs it configures.")
        @OptionGroup var client: ClientOptions
        @Option(help: "The app's name, shown on the login page.") var name: String
        @Option(name: .customLong("redirect-uri"), help: "A redirect URI (repeat for several).") var redirectURIs: [String]
        @Option(name: .customLong("logout-uri"), help: "A post-logout redirect URI (repeat for several).") var logoutURIs: [String] = []
        @Option(name: .customLong("backchannel-logout-uri"), help: "Where the hub POSTs logout tokens (OIDC back-channel logout).")
        var backchannelLogoutURI: String?
        @Flag(help: "Print JSON.") var json = false

        func run() async throws {
            try await reportingFailures {
                let created = try await client.adminClient().addSSOClient(
                    name: name, redirectURIs: redirectURIs, postLogoutRedirectURIs: logoutURIs, backchannelLogoutURI: backchannelLogoutURI)
                if json { try Output.json(created); return }
                Output.line("SSO client registered: \(created.client.name)")
                Output.line("clientId: \(created.clientId)")
                Output.line("clientSecret: \(created.clientSecret)")
                Output.line("(the client secret is shown only now; store it safely)")
                Output.line("issuer: \(created.endpoints.issuer)")
                Output.line("discovery: \(created.endpoints.discovery)")
                Output.line("endSession: \(created.endpoints.endSession)")
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List registered SSO clients.")
        @OptionGroup var client: ClientOptions
        @Flag(help: "Print JSON.") var json = false

        func run() async throws {
            try await reportingFailures {
                let list = try await client.adminClient().ssoClients()
                if json { try Output.json(list); return }
                Output.table(
                    ["CLIENT ID", "NAME", "REDIRECT URIS", "STATUS"],
                    list.items.map { [$0.clientId, $0.name, $0.redirectUris.joined(separator: " "), $0.disabled ? "disabled" : "active"] })
                Output.line("issuer: \(list.endpoints.issuer)")
            }
        }
    }

    struct Disable: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Stop an SSO client from receiving codes.")
        @OptionGroup var client: ClientOptions
        @Option(name: .customLong("client-id"), help: "The client id.") var clientID: String

        func run() async throws {
            try await reportingFailures {
                Output.line("SSO client \(try await client.adminClient().setSSOClientDisabled(clientID: clientID, true).clientId) disabled")
            }
        }
    }

    struct Enable: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Let a disabled SSO client receive codes again.")
        @OptionGroup var client: ClientOptions
        @Option(name: .customLong("client-id"), help: "The client id.") var clientID: String

        func run() async throws {
            try await reportingFailures {
                Output.line("SSO client \(try await client.adminClient().setSSOClientDisabled(clientID: clientID, false).clientId) enabled")
            }
        }
    }
}
