import ArgumentParser
import Foundation
import LGSPClient

/// `lgsp replay CASSETTE… --hub URL`: plays recorded exchanges (cassettes written with
/// `record.directory`) against a hub and reports how the answers differ from the recorded ones.
struct ReplayCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Replay recorded exchanges against a hub and show how its answers differ.",
        discussion: """
            Each request of the cassettes (JSON Lines, as the hub's recorder writes them; several are played in order) is sent
            again, signed with SigV4: requests of the recorded app KEY with the credential of --credential KEY=ACCESS:SECRET,
            every other app's with --access-key/--secret-key (or LGSP_ACCESS_KEY/LGSP_SECRET_KEY). Values the hub generates
            (ids, dates, request ids, ETags, URLs) are not compared; a recorded id that came back different is replaced by the
            new one in later requests. Each difference is printed as `field: expected → actual`; the exit status is 1 when
            any answer differs.
            """)

    @Argument(help: "Cassette files (.jsonl), played in order.")
    var cassettes: [String]

    @Option(help: "Hub URL (env LGSP_URL; default http://127.0.0.1:8080).")
    var hub: String?

    @Option(name: .customLong("access-key"), help: "Access key for apps without a --credential (env LGSP_ACCESS_KEY).")
    var accessKey: String?

    @Option(name: .customLong("secret-key"), help: "Secret key for apps without a --credential (env LGSP_SECRET_KEY).")
    var secretKey: String?

    @Option(name: .customLong("credential"), help: "RECORDED_KEY=ACCESS_KEY:SECRET_KEY: sign the requests recorded for one app with this credential.")
    var credentials: [String] = []

    @Flag(help: "Print only the exchanges that differ.")
    var quiet = false

    func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        var mapped: [String: (String, String)] = [:]
        for text in credentials {
            guard let equals = text.firstIndex(of: "="), let colon = text[equals...].firstIndex(of: ":") else {
                throw ValidationError("--credential \(text): expected RECORDED_KEY=ACCESS_KEY:SECRET_KEY")
            }
            mapped[String(text[..<equals])] = (String(text[text.index(after: equals)..<colon]), String(text[text.index(after: colon)...]))
        }
        var fallback: (String, String)?
        if let key = accessKey ?? environment["LGSP_ACCESS_KEY"], let secret = secretKey ?? environment["LGSP_SECRET_KEY"] { fallback = (key, secret) }
        guard fallback != nil || !mapped.isEmpty else {
            throw ValidationError("no credential: give --access-key/--secret-key (or LGSP_ACCESS_KEY/LGSP_SECRET_KEY) or --credential")
        }
        let entries = try cassettes.flatMap { try CassetteEntry.load($0) }
        let replayer = CassetteReplayer(hub: hub ?? environment["LGSP_URL"] ?? "http://127.0.0.1:8080", credentials: mapped, fallback: fallback)
        let results = try await replayer.replay(entries)
        var differing = 0
        for result in results {
            if result.differences.isEmpty {
                if !quiet { print("ok   \(result.index) \(result.method) \(result.target) → \(result.status)") }
                continue
            }
            differing += 1
            print("DIFF \(result.index) \(result.method) \(result.target) → \(result.status)")
            for difference in result.differences { print("       \(difference)") }
        }
        print("\(results.count) exchanges replayed, \(differing) with differences")
        if differing > 0 { throw ExitCode(1) }
    }
}
