import ArgumentParser
import LGSPAPI

/// `lgsp service add|list`: services units offer through the hub (Article 10).
struct ServiceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "service", abstract: "Manage services that units offer through the hub.", subcommands: [Add.self, List.self])

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Register a service: calls to /v1/services/UNIT/NAME/… go to URL.",
            discussion: "Here --url is the provider's address; the hub's is --hub (or LGSP_URL).")
        @OptionGroup var client: HubOptions
        @Option(help: "The unit offering the service.") var unit: String
        @Option(help: "The service name (lowercase letters, digits, - _ .).") var name: String
        @Option(help: "The provider's base URL.") var url: String
        @Option(name: .customLong("protocol"), help: "rest (default) or soap.") var serviceProtocol: String = "rest"
        @Option(help: "Seconds the hub waits for the provider (default 30).") var timeout: Double?
        @Option(help: "Access key of the providing app (may introspect tokens); default: any app of the unit.") var provider: String?
        @Option(help: "Mapping converting the consumer's request body for the provider (mappings/NAME.mapping.yaml).") var requestMapping: String?
        @Option(help: "Mapping converting the provider's successful answer for the consumer.") var responseMapping: String?
        @Flag(help: "Print JSON.") var json = false

        func run() async throws {
            try await reportingFailures {
                let service = try await client.adminClient().addService(
                    unit: unit, name: name, url: url, protocol: serviceProtocol, timeoutSeconds: timeout, provider: provider,
                    requestMapping: requestMapping, responseMapping: responseMapping)
                if json { try Output.json(service); return }
                Output.line("registered service \(service.id) → \(service.url)")
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List services.")
        @OptionGroup var client: ClientOptions
        @Option(help: "Only the services of this unit.") var unit: String?
        @Flag(help: "Print JSON.") var json = false

        func run() async throws {
            try await reportingFailures {
                let services = try await client.adminClient().services(unit: unit)
                if json { try Output.json(ServiceListResponse(items: services)); return }
                Output.table(["SERVICE", "PROTOCOL", "TIMEOUT", "URL"], services.map { [$0.id, $0.protocol, "\(Int($0.timeoutSeconds))s", $0.url] })
            }
        }
    }
}
