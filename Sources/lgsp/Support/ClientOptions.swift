import ArgumentParser
import Foundation
import LGSPClient

/// How a command finds the hub and its credential: `--url`/`LGSP_URL` (default http://127.0.0.1:8080),
/// `--access-key`/`--secret-key` or `LGSP_ACCESS_KEY`/`LGSP_SECRET_KEY`, or (admin commands) the
/// `admin.json` of `--data`/`LGSP_DATA` (default ./lgsp-data).
struct ClientOptions: ParsableArguments, HubClientOptions {
    @Option(help: "Hub URL (env LGSP_URL; default http://127.0.0.1:8080).")
    var url: String?

    @OptionGroup var credential: CredentialOptions

    var hubURLOption: String? { url }
}

/// The credential flags every client command shares.
struct CredentialOptions: ParsableArguments {
    @Option(help: "Data folder whose admin.json holds the administrator credential (env LGSP_DATA; default ./lgsp-data).")
    var data: String?

    @Option(name: .customLong("access-key"), help: "Access key (env LGSP_ACCESS_KEY).")
    var accessKey: String?

    @Option(name: .customLong("secret-key"), help: "Secret key (env LGSP_SECRET_KEY). Prefer the environment: flags show in process lists.")
    var secretKey: String?
}

/// The same as `ClientOptions` with the hub's URL as `--hub`, for commands whose own `--url` is
/// something else (`lgsp service add --url` is the provider's address).
struct HubOptions: ParsableArguments, HubClientOptions {
    @Option(help: "Hub URL (env LGSP_URL; default http://127.0.0.1:8080).")
    var hub: String?

    @OptionGroup var credential: CredentialOptions

    var hubURLOption: String? { hub }
}

/// Where the hub is and which credential to use, whatever the flags are called.
protocol HubClientOptions {
    var hubURLOption: String? { get }
    var credential: CredentialOptions { get }
}

extension HubClientOptions {
    var data: String? { credential.data }
    var accessKey: String? { credential.accessKey }
    var secretKey: String? { credential.secretKey }

    var environment: [String: String] { ProcessInfo.processInfo.environment }

    var hubURL: String { hubURLOption ?? environment["LGSP_URL"] ?? "http://127.0.0.1:8080" }

    /// A client with the app credential from flags or environment.
    func appClient() throws -> LGSPClient {
        guard let key = accessKey ?? environment["LGSP_ACCESS_KEY"], let secret = secretKey ?? environment["LGSP_SECRET_KEY"] else {
            throw ValidationError("no credential: set LGSP_ACCESS_KEY and LGSP_SECRET_KEY (or --access-key/--secret-key)")
        }
        return LGSPClient(url: hubURL, accessKey: key, secretKey: secret)
    }

    /// A client with the administrator credential: flags/environment first, then `<data>/admin.json`.
    func adminClient() throws -> LGSPClient {
        if let key = accessKey ?? environment["LGSP_ACCESS_KEY"], let secret = secretKey ?? environment["LGSP_SECRET_KEY"] {
            return LGSPClient(url: hubURL, accessKey: key, secretKey: secret)
        }
        let folder = data ?? environment["LGSP_DATA"] ?? "./lgsp-data"
        let path = folder + "/admin.json"
        guard let contents = FileManager.default.contents(atPath: path) else {
            throw ValidationError("no administrator credential: set LGSP_ACCESS_KEY/LGSP_SECRET_KEY or point --data at the hub's data folder (no \(path))")
        }
        let credential = try JSONDecoder().decode(AdminCredentialFile.self, from: contents)
        return LGSPClient(url: hubURL, accessKey: credential.accessKey, secretKey: credential.secretKey)
    }
}

/// `<data>/admin.json`.
struct AdminCredentialFile: Decodable {
    var accessKey: String
    var secretKey: String
}

/// Runs a command body, printing hub errors as one clear line and exiting non-zero.
func reportingFailures(_ body: () async throws -> Void) async throws {
    do {
        try await body()
    } catch let error as LGSPClientError {
        Output.error("error: \(error)")
        throw ExitCode(2)
    }
}
