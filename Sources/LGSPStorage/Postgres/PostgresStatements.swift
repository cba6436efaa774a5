import Foundation
import LGSPCore
import PostgresNIO

/// Named prepared statements for the queries run on (almost) every request or stream poll: each is
/// parsed and planned once per pooled connection, then only executed. The other statements use the
/// extended protocol's unnamed statement (parsed per call, still with bind parameters).
enum PostgresStatements {
    /// An app's events after a cursor (every stream and webhook poll).
    struct EventsAfter: PostgresPreparedStatement {
        static let name = "lgsp_events_after"
        static let sql = "SELECT * FROM events WHERE app_id = $1 AND seq > $2 ORDER BY seq LIMIT $3"
        typealias Row = PGRow
        var appID: String
        var after: Int64
        var limit: Int64

        func makeBindings() throws -> PostgresBindings {
            var bindings = PostgresBindings()
            bindings.append(appID)
            bindings.append(after)
            bindings.append(limit)
            return bindings
        }

        func decodeRow(_ row: PostgresRow) throws -> PGRow { PGRow(row) }
    }

    /// The newest event sequence number of an app (where a new stream starts).
    struct LatestEventSequence: PostgresPreparedStatement {
        static let name = "lgsp_latest_event"
        static let sql = "SELECT MAX(seq) AS seq FROM events WHERE app_id = $1"
        typealias Row = PGRow
        var appID: String

        func makeBindings() throws -> PostgresBindings {
            var bindings = PostgresBindings()
            bindings.append(appID)
            return bindings
        }

        func decodeRow(_ row: PostgresRow) throws -> PGRow { PGRow(row) }
    }

    /// An app by access key (signature verification, when the credential cache misses).
    struct AppByAccessKey: PostgresPreparedStatement {
        static let name = "lgsp_app_by_access_key"
        static let sql = "SELECT * FROM apps WHERE access_key = $1"
        typealias Row = PGRow
        var accessKey: String

        func makeBindings() throws -> PostgresBindings {
            var bindings = PostgresBindings()
            bindings.append(accessKey)
            return bindings
        }

        func decodeRow(_ row: PostgresRow) throws -> PGRow { PGRow(row) }
    }
}

extension PostgresStore {
    /// Executes a prepared statement and collects its rows (failures: `server.storage_failure`).
    func rows<Statement: PostgresPreparedStatement>(_ statement: Statement) async throws -> [PGRow] where Statement.Row == PGRow {
        do {
            var found: [PGRow] = []
            for try await row in try await client.execute(statement, logger: logger) { found.append(row) }
            return found
        } catch {
            throw Self.storageError(error, doing: "read")
        }
    }
}
