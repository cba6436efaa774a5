import Foundation
import LGSPCore
import LGSPStorage
import Logging

extension Hub {
    /// The database the configuration names and the audit log kept beside it.
    ///
    /// - `database.url` unset: `lgsp.sqlite` and `audit.sqlite` in the data folder (the embedded default).
    /// - `database.url` = `postgres://…`: that PostgreSQL database (migrated on open) holds everything,
    ///   the audit log included, so every node sharing it sees one directory, one queue and one chain.
    ///   The master key and the content still come from the data folder or the configuration.
    ///
    /// Throws `request.invalid_field` (field `database.url`) for a URL that is not `postgres://…`, and
    /// `server.storage_failure` naming the server when it cannot be reached.
    static func openDatabase(
        _ configuration: HubConfiguration, folder: DataFolder, masterKey: MasterKey, logger: Logger
    ) async throws -> (store: any HubStore, audit: any AuditLog) {
        if let text = configuration.databaseURL {
            let url = try PostgresURL(text)
            let store = try await PostgresStore(
                url: url, masterKey: masterKey, maximumConnections: configuration.databaseMaxConnections, logger: logger)
            logger.info("database: PostgreSQL \(url)")
            return (store, PostgresAuditLog(store: store))
        }
        let store = try SQLiteStore(path: folder.databasePath, masterKey: masterKey, synchronous: configuration.sqliteSynchronous)
        return (store, try SQLiteAuditLog(path: folder.auditDatabasePath, synchronous: configuration.sqliteSynchronous))
    }
}
