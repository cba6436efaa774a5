import Foundation
import LGSPCore
import NIOSSL
import PostgresNIO

/// A PostgreSQL location as people write it: `postgres://user[:password]@host[:port]/database[?sslmode=…]`
/// (`postgresql://` too). `sslmode=require` (or `verify-full`) asks for TLS checked against the system's
/// trust roots; anything else, or no `sslmode`, connects in plain text (loopback, a private network).
public struct PostgresURL: Sendable, Hashable, CustomStringConvertible {
    public var host: String
    public var port: Int
    public var username: String
    public var password: String?
    public var database: String
    public var requireTLS: Bool

    /// Parses `text`; throws `request.invalid_field` naming the part that is wrong.
    public init(_ text: String, field: String = "database.url") throws {
        guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased(),
            scheme == "postgres" || scheme == "postgresql"
        else {
            throw LGSPError(.invalidField, "the database URL must look like postgres://user@host:5432/database", field: field)
        }
        guard let host = components.host, !host.isEmpty else {
            throw LGSPError(.invalidField, "the database URL names no host", field: field)
        }
        guard let user = components.user, !user.isEmpty else {
            throw LGSPError(.invalidField, "the database URL names no user (postgres://USER@host/database)", field: field)
        }
        let database = String(components.path.drop(while: { $0 == "/" }))
        guard !database.isEmpty, !database.contains("/") else {
            throw LGSPError(.invalidField, "the database URL names no database (postgres://user@host/DATABASE)", field: field)
        }
        self.host = host
        self.port = components.port ?? 5432
        self.username = user.removingPercentEncoding ?? user
        self.password = components.password.map { $0.removingPercentEncoding ?? $0 }
        self.database = database.removingPercentEncoding ?? database
        let mode = components.queryItems?.first(where: { $0.name == "sslmode" })?.value ?? "disable"
        self.requireTLS = ["require", "verify-ca", "verify-full"].contains(mode)
    }

    /// The same location with another database (tests create one database per check).
    public func with(database: String) -> PostgresURL {
        var copy = self
        copy.database = database
        return copy
    }

    /// The client configuration: TLS as asked, everything else postgres-nio's defaults.
    func clientConfiguration(maximumConnections: Int) -> PostgresClient.Configuration {
        let tls: PostgresClient.Configuration.TLS = requireTLS ? .require(.makeClientConfiguration()) : .disable
        var configuration = PostgresClient.Configuration(host: host, port: port, username: username, password: password, database: database, tls: tls)
        configuration.options.maximumConnections = maximumConnections
        return configuration
    }

    /// The URL without its password (for logs and messages).
    public var description: String { "postgres://\(username)@\(host):\(port)/\(database)" }
}
