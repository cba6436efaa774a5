import ArgumentParser
import Foundation
import Hummingbird
import LGSPServer
import Logging

/// `lgsp serve`: runs the hub. With no configuration it keeps its data in ./lgsp-data and listens on
/// 127.0.0.1:8080.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the hub (embedded SQLite + content folder by default).",
        discussion: "Settings: flags over LGSP_* environment variables over the YAML file (--config) over defaults; see README.")

    @Option(help: "Data folder (default ./lgsp-data; env LGSP_DATA_DIRECTORY).")
    var data: String?

    @Option(help: "Address to listen on (default 127.0.0.1).")
    var host: String?

    @Option(help: "Port (default 8080; 0 picks a free one).")
    var port: Int?

    @Option(help: "YAML configuration file.")
    var config: String?

    @Option(name: .customLong("tls-cert"), help: "PEM certificate chain: serve HTTPS.")
    var tlsCert: String?

    @Option(name: .customLong("tls-key"), help: "PEM private key of the certificate.")
    var tlsKey: String?

    @Option(name: .customLong("tls-client-ca"), help: "PEM CA: require client certificates it signed (mutual TLS).")
    var tlsClientCA: String?

    @Option(name: .customLong("log-format"), help: "Log lines as text (default) or json: one JSON object per line (env LGSP_LOG_FORMAT).")
    var logFormat: String?

    @Option(help: "PostgreSQL database shared by the hub's nodes: postgres://user@host:5432/db (env LGSP_DATABASE_URL; default: SQLite in the data folder).")
    var database: String?

    @Flag(help: "Load a small demo directory (Hải Phòng, departments, wards), two apps and grants; print an example.")
    var demo = false

    func run() async throws {
        var overrides: [String: String] = [:]
        overrides["data.directory"] = data
        overrides["server.host"] = host
        overrides["server.port"] = port.map(String.init)
        overrides["server.tls.certificate"] = tlsCert
        overrides["server.tls.key"] = tlsKey
        overrides["server.tls.clientCA"] = tlsClientCA
        overrides["log.format"] = logFormat
        overrides["database.url"] = database
        if demo { overrides["demo"] = "true" }
        let configuration = try await HubConfiguration.load(overrides: overrides, file: config)

        let level = Logger.Level(rawValue: configuration.logLevel) ?? .info
        let json = configuration.logFormat == "json"
        LoggingSystem.bootstrap { label in
            var handler: any LogHandler = json ? JSONLogHandler(label: label) : StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        let logger = Logger(label: "lgsp")
        let (hub, notice) = try await Hub.open(configuration, logger: logger)
        if let path = notice.adminCredentialWritten {
            Output.line("lgsp: created the administrator credential in \(path) (mode 0600); admin commands read it with --data")
        }
        let scheme = configuration.usesTLS ? "https" : "http"
        let application = try HubApplication.build(hub: hub) { port in
            let url = "\(scheme)://\(configuration.host):\(port)"
            if let loaded = notice.demo {
                Output.line(DemoDirectory.example(loaded, url: url))
            }
            // Last: supervisors and tests take this line as "ready".
            Output.line("lgsp: listening on \(url) (data in \(hub.folder.path))")
        }
        // The provider client must be shut down before it is released, after the server stops.
        do {
            try await application.runService()
        } catch {
            try? await hub.providers.shutdown()
            throw error
        }
        try await hub.providers.shutdown()
    }
}

/// `lgsp time`: the hub's clock and this machine's offset from it.
struct TimeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "time", abstract: "Show the hub's time and this machine's clock offset.")

    @OptionGroup var client: ClientOptions

    func run() async throws {
        try await reportingFailures {
            let offset = try await LGSPClientFactory.unsigned(client.hubURL).synchronizeClock()
            Output.line(String(format: "hub time %@ (this machine is %+.3f s off)", Date().addingTimeInterval(offset).formatted(.iso8601), -offset))
        }
    }
}

import LGSPClient

enum LGSPClientFactory {
    /// A client for unsigned endpoints (no credential needed).
    static func unsigned(_ url: String) -> LGSPClient {
        LGSPClient(url: url, accessKey: "", secretKey: "")
    }
}
