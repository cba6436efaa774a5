import Foundation
import LGSPClient
import Synchronization

/// Several real `lgsp serve` processes acting as one hub: one database (`LGSP_DATABASE_URL`, or the
/// SQLite file of the shared folder when nil), one shared data folder (master key, content, admin
/// credential), each node with its own name (`hub.node`) and port.
///
/// The first node starts alone (it runs the migrations and creates the administrator), then the others.
public final class HubCluster: Sendable {
    public let data: TemporaryFolder
    public let database: String?
    public let environment: [String: String]
    private let running: Mutex<[String: HubProcess]>

    public static func start(
        nodes count: Int, database: String?, environment: [String: String] = [:]
    ) async throws -> HubCluster {
        let cluster = HubCluster(data: try TemporaryFolder("lgsp-cluster"), database: database, environment: environment)
        do {
            for index in 1...count { _ = try await cluster.startNode("node-\(index)") }
        } catch {
            cluster.shutdown()
            throw error
        }
        return cluster
    }

    private init(data: TemporaryFolder, database: String?, environment: [String: String]) {
        self.data = data
        self.database = database
        self.environment = environment
        running = Mutex([:])
    }

    /// Starts (or restarts) the node `name` on a free port.
    @discardableResult
    public func startNode(_ name: String) async throws -> HubProcess {
        var env = environment
        env["LGSP_HUB_NODE"] = name
        if let database { env["LGSP_DATABASE_URL"] = database }
        let node = try await HubProcess.start(environment: env, data: data, logName: name)
        running.withLock { $0[name] = node }
        return node
    }

    /// The node called `name` (started last under that name).
    public func node(_ name: String) -> HubProcess {
        guard let node = running.withLock({ $0[name] }) else { preconditionFailure("no node \(name) in this cluster") }
        return node
    }

    /// The nodes' names, in order.
    public var names: [String] { running.withLock { $0.keys.sorted() } }

    public func adminClient() throws -> LGSPClient { try node(names[0]).adminClient() }

    /// The last lines a node wrote on standard error (for failure messages).
    public func log(_ name: String) -> String {
        let text = (try? String(contentsOfFile: data.path + "/\(name).stderr.log", encoding: .utf8)) ?? ""
        return String(text.suffix(4000))
    }

    /// Stops every node and removes the shared folder.
    public func shutdown() {
        for node in running.withLock({ Array($0.values) }) { node.stop() }
        data.remove()
    }
}

/// A database of its own on the test PostgreSQL server (`LGSP_TEST_POSTGRES_URL`), created with
/// `psql` and dropped after the test.
public struct PostgresScratchDatabase: Sendable {
    /// The URL of the new database.
    public let url: String
    let server: String
    let name: String

    /// The server's URL, or nil when the tests were not given one.
    public static var serverURL: String? {
        ProcessInfo.processInfo.environment["LGSP_TEST_POSTGRES_URL"].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// Creates `lgsp_<prefix>_<random>`; nil when there is no test server.
    public static func create(_ prefix: String) async throws -> PostgresScratchDatabase? {
        guard let server = serverURL else { return nil }
        let name = "lgsp_\(prefix)_\(UInt32.random(in: 0...UInt32.max))"
        try await psql(server, "CREATE DATABASE \(name)")
        guard var components = URLComponents(string: server) else { throw HubProcessError(message: "LGSP_TEST_POSTGRES_URL is not a URL") }
        components.path = "/" + name
        return PostgresScratchDatabase(url: components.string ?? server, server: server, name: name)
    }

    /// Runs SQL on this database.
    public func execute(_ sql: String) async throws { try await Self.psql(url, sql) }

    /// Runs SQL on this database and returns the unaligned, tuples-only output.
    public func query(_ sql: String) async throws -> String { try await Self.psql(url, sql, tuplesOnly: true) }

    /// Runs SQL on the server's own database (for what cannot run inside this one, such as `ALTER DATABASE`).
    public func executeOnServer(_ sql: String) async throws { try await Self.psql(server, sql) }

    /// The database's name.
    public var databaseName: String { name }

    public func drop() async {
        _ = try? await Self.psql(server, "DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
    }

    @discardableResult
    static func psql(_ url: String, _ sql: String, tuplesOnly: Bool = false) async throws -> String {
        guard let psql = ExternalTools.which("psql") else { throw HubProcessError(message: "psql is not installed (Debian: postgresql-client)") }
        let result = try await ExternalTools.run(psql, [url, "-v", "ON_ERROR_STOP=1", "-X", "-q"] + (tuplesOnly ? ["-A", "-t"] : []) + ["-c", sql])
        guard result.status == 0 else { throw HubProcessError(message: "psql \(sql): \(result.stderr)") }
        return result.text.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
