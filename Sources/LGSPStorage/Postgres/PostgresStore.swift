import Foundation
import LGSPCore
import Logging
import PostgresNIO

/// The store of a hub with several nodes: one PostgreSQL database shared by every node, implementing
/// the same ports as `SQLiteStore` with the same logical schema (`PostgresMigrations`).
///
/// - Connections come from a `PostgresClient` pool (at most `maximumConnections`). A `PostgresClient`
///   does nothing until its `run()` is running: the store runs it in a task it owns from `init` until
///   `close()`, so the store works the same in `lgsp serve`, `lgsp migrate` and tests.
/// - Every statement is sent with the extended query protocol and bind parameters (`PostgresQuery`
///   interpolation): values never become SQL text. The queries of every request and stream poll are
///   named prepared statements (`PostgresStatements`), planned once per connection.
/// - Timestamps are Unix milliseconds in `bigint` columns, as in SQLite, so both backends compare
///   and report instants identically. Secrets are sealed with the master key before they are sent.
/// - Every method that writes more than one row runs in one transaction (`transaction`).
public final class PostgresStore: Sendable {
    let client: PostgresClient
    let masterKey: MasterKey
    let logger: Logger
    public let url: PostgresURL
    private let runner: Task<Void, Never>

    /// Connects to `url` and applies pending migrations (`PostgresMigrations`).
    ///
    /// Throws `server.storage_failure` naming the server when it cannot be reached or refuses the login.
    public init(url: PostgresURL, masterKey: MasterKey, maximumConnections: Int = 20, logger: Logger = Logger(label: "lgsp.postgres")) async throws {
        let client = PostgresClient(configuration: url.clientConfiguration(maximumConnections: maximumConnections), backgroundLogger: logger)
        self.client = client
        self.masterKey = masterKey
        self.logger = logger
        self.url = url
        self.runner = Task { await client.run() }
        do {
            try await PostgresMigrations.migrate(client, logger: logger)
        } catch {
            runner.cancel()
            throw Self.storageError(error, doing: "open the database \(url)")
        }
    }

    deinit { runner.cancel() }

    /// Closes every connection (the store cannot be used afterwards).
    public func close() async {
        runner.cancel()
        _ = await runner.value
    }

    /// The names of the applied migrations, oldest first (`lgsp migrate` prints the last).
    public func appliedMigrations() async throws -> [String] {
        try await PostgresMigrations.applied(client, logger: logger)
    }

    // MARK: Statements

    /// Runs one statement outside any transaction and returns its rows.
    func rows(_ query: PostgresQuery) async throws -> [PGRow] {
        do {
            return try await client.query(query, logger: logger).collect().map(PGRow.init)
        } catch {
            throw Self.storageError(error, doing: "read")
        }
    }

    /// Runs one statement outside any transaction.
    func run(_ query: PostgresQuery) async throws {
        _ = try await rows(query)
    }

    /// Runs `body` in one transaction: committed when it returns, rolled back when it throws. An
    /// `LGSPError` thrown by the body comes out unchanged; database failures become `server.storage_failure`.
    ///
    /// - Parameter passingUniqueViolations: throw a unique-key violation as `UniqueViolation` (for a
    ///   caller that answers it itself) instead of `server.storage_failure`.
    func transaction<T: Sendable>(
        passingUniqueViolations: Bool = false, _ body: @Sendable (PGTransaction) async throws -> T
    ) async throws -> T {
        let logger = logger
        do {
            return try await client.withTransaction(logger: logger) { connection in
                try await body(PGTransaction(connection: connection, logger: logger))
            }
        } catch let error as PostgresTransactionError {
            if let closure = error.closureError as? LGSPError { throw closure }
            // Kept recognisable: callers turn a unique violation into their own answer (`isUniqueViolation`).
            if passingUniqueViolations, let closure = error.closureError, Self.isUniqueViolation(closure) {
                throw UniqueViolation(underlying: closure)
            }
            throw Self.storageError(error.closureError ?? error.beginError ?? error.commitError ?? error, doing: "write")
        } catch let error as LGSPError {
            throw error
        } catch {
            throw Self.storageError(error, doing: "write")
        }
    }

    /// A database failure as the hub reports it (the server's message, never the statement's values).
    static func storageError(_ error: any Error, doing what: String) -> any Error {
        if let error = error as? LGSPError { return error }
        if let error = error as? PSQLError {
            let message = error.serverInfo?[.message] ?? "\(error.code)"
            return LGSPError(.storageFailure, "PostgreSQL could not \(what): \(message)")
        }
        return LGSPError(.storageFailure, "PostgreSQL could not \(what): \(error)")
    }

    /// Whether the error is PostgreSQL's unique violation (SQLSTATE 23505), possibly inside a transaction error.
    static func isUniqueViolation(_ error: any Error) -> Bool {
        if error is UniqueViolation { return true }
        if let error = error as? PostgresTransactionError, let inner = error.closureError { return isUniqueViolation(inner) }
        return (error as? PSQLError)?.serverInfo?[.sqlState] == PostgresError.Code.uniqueViolation.raw
    }
}

/// A transaction failed on a unique key (SQLSTATE 23505), for callers that asked (`passingUniqueViolations`).
struct UniqueViolation: Error, CustomStringConvertible {
    let underlying: any Error
    var description: String { "\(PostgresStore.storageError(underlying, doing: "write"))" }
}

/// One open transaction's connection: the statements the store's methods run inside `transaction`.
struct PGTransaction: Sendable {
    let connection: PostgresConnection
    let logger: Logger

    @discardableResult
    func rows(_ query: PostgresQuery) async throws -> [PGRow] {
        try await connection.query(query, logger: logger).collect().map(PGRow.init)
    }

    func run(_ query: PostgresQuery) async throws {
        _ = try await connection.query(query, logger: logger).collect()
    }

    /// Runs an UPDATE or DELETE and returns how many rows it touched (through `RETURNING 1`).
    func count(_ query: PostgresQuery) async throws -> Int {
        try await rows(query).count
    }
}
