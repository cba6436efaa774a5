import ArgumentParser
import Foundation
import LGSPCore
import LGSPServer
import LGSPStorage
import Logging

/// `lgsp migrate [--database URL] [--data DIR]`: brings the hub's database schema up to date and
/// prints its version (the last migration applied), without starting the hub. Run it before a
/// rolling upgrade; `lgsp serve` would run the same migrations at start. Migrations are applied in
/// one transaction under a lock, so running it while nodes start is safe.
struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate", abstract: "Apply pending database migrations and print the schema version.")

    @Option(help: "Data folder (default ./lgsp-data; env LGSP_DATA_DIRECTORY): its SQLite database and master key.")
    var data: String?

    @Option(help: "PostgreSQL database: postgres://user@host:5432/db (env LGSP_DATABASE_URL; default: SQLite in the data folder).")
    var database: String?

    @Option(help: "YAML configuration file.")
    var config: String?

    func run() async throws {
        var overrides: [String: String] = [:]
        overrides["data.directory"] = data
        overrides["database.url"] = database
        let configuration = try await HubConfiguration.load(overrides: overrides, file: config)
        let folder = try DataFolder(path: configuration.dataDirectory)
        let masterKey = try folder.masterKey(configured: configuration.masterKey)
        let applied: [String]
        let name: String
        if let text = configuration.databaseURL {
            let url = try PostgresURL(text)
            var logger = Logger(label: "lgsp.migrate")
            logger.logLevel = .warning
            let store = try await PostgresStore(url: url, masterKey: masterKey, maximumConnections: 2, logger: logger)
            applied = try await store.appliedMigrations()
            await store.close()
            name = "PostgreSQL \(url)"
        } else {
            let store = try SQLiteStore(path: folder.databasePath, masterKey: masterKey, synchronous: configuration.sqliteSynchronous)
            applied = try await store.appliedMigrations()
            name = "SQLite \(folder.databasePath)"
        }
        print("\(name): \(applied.count) migrations applied, schema version \(applied.last ?? "none")")
    }
}
