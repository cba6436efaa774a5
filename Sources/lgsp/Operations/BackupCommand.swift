import ArgumentParser
import Foundation
import LGSPCore
import LGSPStorage

/// `lgsp backup --data DIR --to DIR` and `lgsp restore --from DIR --data DIR`: a hub's data folder,
/// copied while the hub runs (the SQLite files through SQLite's online backup, the other files as
/// they are), and put back into an empty data folder. With `--database postgres://…` (or
/// `LGSP_DATABASE_URL`) the database is dumped with `pg_dump` instead and restored with `pg_restore`
/// into an empty database (`PostgresDump`); the data folder's keys and content are copied as before.
///
/// The master key is left out unless `--include-master-key` is given: a backup and the key that
/// opens its secrets should not travel together.
struct BackupCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup", abstract: "Copy a hub's data folder while the hub runs (SQLite online backup).")

    @Option(help: "The hub's data folder (env LGSP_DATA; default ./lgsp-data).") var data: String?
    @Option(help: "Folder to create for the backup (must not exist).") var to: String
    @Flag(help: "Also copy master.key (keep backups and the key apart unless you know you need this).") var includeMasterKey = false
    @Option(help: "The hub's PostgreSQL database, dumped with pg_dump (env LGSP_DATABASE_URL; default: the SQLite files).")
    var database: String?

    func run() async throws {
        let source = data ?? ProcessInfo.processInfo.environment["LGSP_DATA"] ?? "./lgsp-data"
        let databaseURL = database ?? ProcessInfo.processInfo.environment["LGSP_DATABASE_URL"].flatMap { $0.isEmpty ? nil : $0 }
        let files = FileManager.default
        guard databaseURL != nil || files.fileExists(atPath: source + "/" + DataFiles.database) else {
            throw ValidationError("\(source) is not a hub's data folder (no \(DataFiles.database)); for PostgreSQL name it with --database")
        }
        guard !files.fileExists(atPath: to) else { throw ValidationError("\(to) exists already; name a new folder") }
        try files.createDirectory(atPath: to, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        var manifest = BackupManifest(createdAt: Date(), source: source, files: [:])
        if let databaseURL {
            try PostgresDump.dump(databaseURL, to: to + "/" + PostgresDump.fileName)
            manifest.files[PostgresDump.fileName] = try DataFiles.sha256(of: to + "/" + PostgresDump.fileName)
        }
        for database in DataFiles.databases where databaseURL == nil && files.fileExists(atPath: source + "/" + database) {
            try SQLiteBackup.copy(from: source + "/" + database, to: to + "/" + database)
            manifest.files[database] = try DataFiles.sha256(of: to + "/" + database)
        }
        var copied = DataFiles.secrets.filter { files.fileExists(atPath: source + "/" + $0) }
        if !includeMasterKey { copied.removeAll { $0 == DataFiles.masterKey } }
        for name in copied {
            try files.copyItem(atPath: source + "/" + name, toPath: to + "/" + name)
            try files.setAttributes([.posixPermissions: 0o600], ofItemAtPath: to + "/" + name)
            manifest.files[name] = try DataFiles.sha256(of: to + "/" + name)
        }
        // Content in transit (encrypted; short-lived by design): copied as it is at this moment.
        if files.fileExists(atPath: source + "/content") {
            try files.copyItem(atPath: source + "/content", toPath: to + "/content")
        }
        try DataFiles.write(manifest, to: to + "/" + DataFiles.manifest)
        Output.line("backed up \(source) into \(to): \(manifest.files.keys.sorted().joined(separator: ", "))\(files.fileExists(atPath: to + "/content") ? ", content/" : "")")
        if !includeMasterKey {
            Output.line("master.key was not copied: keep it (or security.masterKey) safe apart; a restore needs it")
        }
    }
}

struct RestoreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "restore", abstract: "Put a backup into an empty data folder (stop the hub first).")

    @Option(help: "The backup folder (made by lgsp backup).") var from: String
    @Option(help: "The data folder to restore into; it must not hold a database yet (env LGSP_DATA; default ./lgsp-data).") var data: String?
    @Option(help: "master.key to put beside the restored data, if the backup does not hold it.") var masterKey: String?
    @Option(help: "The empty PostgreSQL database to restore a pg_dump backup into (env LGSP_DATABASE_URL).") var database: String?

    func run() async throws {
        let target = data ?? ProcessInfo.processInfo.environment["LGSP_DATA"] ?? "./lgsp-data"
        let databaseURL = database ?? ProcessInfo.processInfo.environment["LGSP_DATABASE_URL"].flatMap { $0.isEmpty ? nil : $0 }
        let files = FileManager.default
        let manifest = try DataFiles.read(from + "/" + DataFiles.manifest)
        let dumped = manifest.files[PostgresDump.fileName] != nil
        if dumped && databaseURL == nil {
            throw ValidationError("\(from) holds a PostgreSQL dump: name the empty database to restore it into with --database postgres://…")
        }
        guard !files.fileExists(atPath: target + "/" + DataFiles.database) else {
            throw ValidationError("\(target) already holds a database; restore into an empty folder")
        }
        // Every file is checked before anything is copied.
        for (name, digest) in manifest.files.sorted(by: { $0.key < $1.key }) {
            guard try DataFiles.sha256(of: from + "/" + name) == digest else {
                throw ValidationError("\(from)/\(name) does not match the backup's manifest: the backup is damaged")
            }
        }
        for database in DataFiles.databases where manifest.files[database] != nil {
            guard try SQLiteBackup.check(from + "/" + database) else {
                throw ValidationError("\(from)/\(database) fails SQLite's integrity check")
            }
        }
        if dumped, let databaseURL {
            try PostgresDump.restore(from + "/" + PostgresDump.fileName, into: databaseURL)
        }
        try files.createDirectory(atPath: target, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        for name in manifest.files.keys.sorted() where name != PostgresDump.fileName {
            try files.copyItem(atPath: from + "/" + name, toPath: target + "/" + name)
            if DataFiles.secrets.contains(name) { try files.setAttributes([.posixPermissions: 0o600], ofItemAtPath: target + "/" + name) }
        }
        if files.fileExists(atPath: from + "/content") && !files.fileExists(atPath: target + "/content") {
            try files.copyItem(atPath: from + "/content", toPath: target + "/content")
        }
        if let masterKey, manifest.files[DataFiles.masterKey] == nil {
            try files.copyItem(atPath: masterKey, toPath: target + "/" + DataFiles.masterKey)
            try files.setAttributes([.posixPermissions: 0o600], ofItemAtPath: target + "/" + DataFiles.masterKey)
        }
        Output.line("restored \(from) (taken \(manifest.createdAt.formatted(.iso8601))) into \(target)")
        if !files.fileExists(atPath: target + "/" + DataFiles.masterKey) {
            Output.line("no master.key in \(target): start the hub with security.masterKey (LGSP_SECURITY_MASTER_KEY) or put the key there")
        }
    }
}

/// What a backup holds, with each file's SHA-256.
struct BackupManifest: Codable {
    var createdAt: Date
    var source: String
    var files: [String: String]
}

/// The files of a data folder that a backup copies.
enum DataFiles {
    static let database = "lgsp.sqlite"
    static let databases = ["lgsp.sqlite", "audit.sqlite"]
    static let masterKey = "master.key"
    static let secrets = ["master.key", "audit-signing.key", "admin.json"]
    static let manifest = "backup.json"

    static func sha256(of path: String) throws -> String {
        ContentDigest.of(try Data(contentsOf: URL(fileURLWithPath: path))).hex
    }

    static func write(_ manifest: BackupManifest, to path: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        try encoder.encode(manifest).write(to: URL(fileURLWithPath: path))
    }

    static func read(_ path: String) throws -> BackupManifest {
        guard let data = FileManager.default.contents(atPath: path) else { throw ValidationError("\(path) not found: not a backup made by lgsp backup") }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return try decoder.decode(BackupManifest.self, from: data)
    }
}
