import ArgumentParser
import Foundation
import LGSPStorage

/// `pg_dump` and `pg_restore` for `lgsp backup` / `lgsp restore` on PostgreSQL: a consistent dump in
/// PostgreSQL's custom format (one snapshot, taken while the hub runs), restored into an empty database.
///
/// The password travels in `PGPASSWORD`, never on the command line (where `ps` would show it).
enum PostgresDump {
    /// The dump's file name inside a backup folder.
    static let fileName = "lgsp.pgdump"

    static func dump(_ url: String, to path: String) throws {
        let location = try PostgresURL(url, field: "--database")
        try run("pg_dump", ["--format=custom", "--no-owner", "--no-privileges", "--file=\(path)", "--dbname=\(connectionString(location))"], location)
    }

    /// Restores into `url`, which must hold no hub schema yet; all or nothing (one transaction).
    static func restore(_ path: String, into url: String) throws {
        let location = try PostgresURL(url, field: "--database")
        try run(
            "pg_restore",
            ["--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction", "--dbname=\(connectionString(location))", path], location)
    }

    /// A libpq URI without the password.
    static func connectionString(_ location: PostgresURL) -> String {
        var text = location.description
        if location.requireTLS { text += "?sslmode=require" }
        return text
    }

    /// The tool from PATH, else from Debian's `/usr/lib/postgresql/<version>/bin` (the newest).
    static func tool(_ name: String) throws -> String {
        for directory in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":") {
            let path = "\(directory)/\(name)"
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        let versions = (try? FileManager.default.contentsOfDirectory(atPath: "/usr/lib/postgresql")) ?? []
        for version in versions.sorted(by: { (Int($0) ?? 0) > (Int($1) ?? 0) }) {
            let path = "/usr/lib/postgresql/\(version)/bin/\(name)"
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        throw ValidationError("\(name) is not installed (Debian: apt-get install postgresql-client)")
    }

    private static func run(_ name: String, _ arguments: [String], _ location: PostgresURL) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try tool(name))
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        if let password = location.password { environment["PGPASSWORD"] = password }
        process.environment = environment
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw ValidationError("\(name) failed for \(location) (exit \(process.terminationStatus)): \(message.trimmingCharacters(in: .whitespacesAndNewlines))")
        }
    }
}
