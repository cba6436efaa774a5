import ArgumentParser
import Foundation
import LGSPAPI
import LGSPCore
import LGSPStorage

/// `lgsp audit verify|export`.
struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit", abstract: "Verify or export the hash-chained audit log.", subcommands: [Verify.self, Export.self])

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Prove the audit log's chain and signed checkpoints from the data folder's files (offline; the hub may run).",
            discussion: "Exits 0 when intact; 1 naming the first broken entry (sequence, time, what differs); 2 when the log cannot be read.")
        @Option(help: "The hub's data folder (env LGSP_DATA; default ./lgsp-data).") var data: String?
        @Option(help: "The hub's PostgreSQL database, which then holds the audit log (env LGSP_DATABASE_URL).") var database: String?
        @Flag(help: "Print the result as JSON.") var json = false

        func run() async throws {
            let folder = data ?? ProcessInfo.processInfo.environment["LGSP_DATA"] ?? "./lgsp-data"
            let path = folder + "/audit.sqlite"
            let databaseURL = database ?? ProcessInfo.processInfo.environment["LGSP_DATABASE_URL"].flatMap { $0.isEmpty ? nil : $0 }
            guard databaseURL != nil || FileManager.default.fileExists(atPath: path) else {
                Output.error("error: no audit log at \(path) (is --data the hub's data folder?)")
                throw ExitCode(2)
            }
            // The checkpoint key in the data folder is the one to trust; without it, each checkpoint's own key.
            var publicKey: Data?
            if let text = try? String(contentsOfFile: folder + "/audit-signing.key", encoding: .utf8),
                let raw = Data(base64Encoded: text.trimmingCharacters(in: .whitespacesAndNewlines))
            {
                publicKey = try AuditSigner(rawRepresentation: raw).publicKey
            } else if !json {
                Output.error("warning: no \(folder)/audit-signing.key: checkpoints are checked against the keys they name")
            }
            let result: AuditVerification
            do {
                if let databaseURL {
                    // The audit log holds no sealed values: any master key opens the store for reading it.
                    let store = try await PostgresStore(url: try PostgresURL(databaseURL), masterKey: .generate(), maximumConnections: 2)
                    defer { Task { await store.close() } }
                    result = try await PostgresAuditLog(store: store).verify(publicKey: publicKey)
                } else {
                    result = try await SQLiteAuditLog(path: path).verify(publicKey: publicKey)
                }
            } catch {
                Output.error("error: the audit log could not be read: \(error)")
                throw ExitCode(2)
            }
            if json {
                try Output.json(
                    AuditVerificationBody(
                        intact: result.isIntact, entries: result.entries, checkpoints: result.checkpoints, head: result.head?.auditHex,
                        brokenSequence: result.broken?.sequence, brokenAt: result.broken?.at, reason: result.broken?.reason))
            }
            guard let broken = result.broken else {
                if !json {
                    Output.line("audit log intact: \(result.entries) entries, \(result.checkpoints) signed checkpoints, head \(result.head?.auditHex ?? "-")")
                }
                return
            }
            if !json {
                Output.error("audit log broken at entry \(broken.sequence)\(broken.at.map { " (\($0.isoMillis))" } ?? ""): \(broken.reason)")
            }
            throw ExitCode(1)
        }
    }

    struct Export: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Export the audit entries of a period through the admin API (GET /v1/admin/audit).")
        @OptionGroup var client: ClientOptions
        @Option(help: "Start (inclusive), ISO 8601 (a date alone means its midnight, +07:00).") var from: String?
        @Option(help: "End (exclusive), ISO 8601.") var to: String?
        @Flag(help: "Print JSON.") var json = false
        @Flag(help: "Print CSV.") var csv = false

        func validate() throws {
            if json && csv { throw ValidationError("give --json or --csv, not both") }
        }

        func run() async throws {
            let fromDate = try from.map(Self.date)
            let toDate = try to.map(Self.date)
            try await reportingFailures {
                let admin = try client.adminClient()
                var items: [AuditEntryBody] = []
                var after: Int64 = 0
                while true {
                    let page = try await admin.auditEntries(from: fromDate, to: toDate, after: after)
                    items += page.items
                    guard let next = page.next else { break }
                    after = next
                }
                if json { try Output.json(AuditListResponse(items: items, next: nil)); return }
                if csv {
                    Output.line(AuditEntryBody.csvHeader)
                    for item in items { Output.line(item.csvLine) }
                    return
                }
                Output.table(
                    ["SEQ", "TIME", "ACTOR", "ACTION", "OUTCOME", "SOURCE", "TARGET"],
                    items.map { [String($0.sequence), $0.at.isoMillis, $0.actor, $0.action, $0.outcome, $0.source, $0.target] })
            }
        }

        static func date(_ text: String) throws -> Date {
            if let date = APICoding.parseDate(text) ?? APICoding.parseDate(text + "T00:00:00+07:00") { return date }
            throw ValidationError("'\(text)' is not an ISO 8601 time such as 2026-12-01T08:00:00+07:00")
        }
    }
}

/// `lgsp audit verify --json`.
struct AuditVerificationBody: Encodable {
    var intact: Bool
    var entries: Int64
    var checkpoints: Int
    var head: String?
    var brokenSequence: Int64?
    var brokenAt: Date?
    var reason: String?
}
