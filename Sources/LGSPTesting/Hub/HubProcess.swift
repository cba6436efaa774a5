import Foundation
import LGSPClient
import Synchronization

/// A real `lgsp serve` process on a free loopback port with its own temporary data folder: what
/// integration tests talk to over HTTP, exactly as deployed apps do.
///
/// The binary is `LGSP_BINARY` if set, else the `lgsp` built beside the test bundle (`swift build`
/// builds it; `make test` always does).
public final class HubProcess: Sendable {
    public let url: String
    public let data: TemporaryFolder
    public let port: Int
    private let process: Process
    private let output: LockedText

    /// The administrator credential the hub wrote on first start.
    public struct AdminCredential: Decodable, Sendable {
        public var accessKey: String
        public var secretKey: String
    }

    public static var binaryPath: String {
        if let path = ProcessInfo.processInfo.environment["LGSP_BINARY"] { return path }
        let besideTests = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("lgsp").path
        if FileManager.default.isExecutableFile(atPath: besideTests) { return besideTests }
        return PackageRoot.path + "/.build/debug/lgsp"
    }

    /// Starts a hub and waits until it listens.
    ///
    /// - Parameters:
    ///   - arguments: extra `serve` flags (`--demo`, `--tls-cert …`).
    ///   - environment: extra environment (`LGSP_…` settings).
    ///   - data: reuse this data folder (a restart) instead of a new one.
    ///   - logName: the standard error file in the folder (`<logName>.stderr.log`): nodes sharing a folder use their own.
    public static func start(
        arguments: [String] = [], environment: [String: String] = [:], data: TemporaryFolder? = nil, scheme: String = "http",
        logName: String = "hub"
    ) async throws -> HubProcess {
        let folder = try data ?? TemporaryFolder("lgsp-hub")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binaryPath)
        process.arguments = ["serve", "--data", folder.path + "/data", "--host", "127.0.0.1", "--port", "0"] + arguments
        var env = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("LGSP_") }
        env["LGSP_MAINTENANCE_INTERVAL_SECONDS"] = "0.2"
        env["LGSP_LOG_LEVEL"] = "warning"
        // No mappings unless a test asks for them (LGSP_TRANSFORM_DIRECTORY): loading and testing the
        // shipped set costs each start close to a second in a debug build.
        env["LGSP_TRANSFORM_DIRECTORY"] = folder.path + "/no-mappings"
        env.merge(environment) { $1 }
        process.environment = env
        let stdout = Pipe()
        process.standardOutput = stdout
        let logPath = folder.path + "/\(logName).stderr.log"
        FileManager.default.createFile(atPath: logPath, contents: nil)
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: logPath))
        let output = LockedText()
        let (lines, continuation) = AsyncStream<String>.makeStream()
        stdout.fileHandleForReading.readabilityHandler = { handle in
            let chunk = handle.availableData
            if chunk.isEmpty {
                handle.readabilityHandler = nil
                continuation.finish()
                return
            }
            let text = String(decoding: chunk, as: UTF8.self)
            output.append(text)
            continuation.yield(text)
        }
        try process.run()
        let found = try await withThrowingTaskGroup(of: Int?.self) { group in
            group.addTask {
                var seen = ""
                for await text in lines {
                    seen += text
                    if let range = seen.range(of: "listening on \(scheme)://") {
                        let address = seen[range.upperBound...].prefix { !$0.isWhitespace }
                        if let colon = address.lastIndex(of: ":"), let port = Int(address[address.index(after: colon)...]) { return port }
                    }
                }
                return nil
            }
            group.addTask {
                try await Task.sleep(for: .seconds(60))
                return nil
            }
            let port = try await group.next() ?? nil
            group.cancelAll()
            return port
        }
        guard let port = found else {
            process.terminate()
            let log = (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
            throw HubProcessError(message: "lgsp serve did not start (binary \(binaryPath)); output: \(output.value) \(log)")
        }
        return HubProcess(url: "\(scheme)://127.0.0.1:\(port)", data: folder, port: port, process: process, output: output)
    }

    private init(url: String, data: TemporaryFolder, port: Int, process: Process, output: LockedText) {
        self.url = url
        self.data = data
        self.port = port
        self.process = process
        self.output = output
    }

    /// What the hub printed on standard output so far.
    public var standardOutput: String { output.value }

    /// The hub's data folder (SQLite file, content, admin.json).
    public var dataPath: String { data.path + "/data" }

    public var admin: AdminCredential {
        get throws {
            try JSONDecoder().decode(AdminCredential.self, from: Data(contentsOf: URL(fileURLWithPath: dataPath + "/admin.json")))
        }
    }

    /// A client holding the administrator credential.
    public func adminClient() throws -> LGSPClient {
        let credential = try admin
        return LGSPClient(url: url, accessKey: credential.accessKey, secretKey: credential.secretKey)
    }

    /// Stops the hub with SIGTERM (graceful) and waits for it, or kills it after 10 seconds; keeps the data folder.
    public func stop() {
        guard process.isRunning else { return }
        process.terminate()
        let deadline = Date().addingTimeInterval(10)
        while process.isRunning && Date() < deadline { usleep(20_000) }
        if process.isRunning { kill() }
    }

    /// Kills the hub with SIGKILL (a crash) and waits for it; keeps the data folder.
    public func kill() {
        if process.isRunning {
            Foundation.kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }

    /// Stops the hub and removes its data folder.
    public func shutdown() {
        stop()
        data.remove()
    }

    deinit {
        if process.isRunning { process.terminate() }
    }
}

public struct HubProcessError: Error, CustomStringConvertible {
    public var message: String
    public var description: String { message }

    public init(message: String) { self.message = message }
}

/// Text appended from one thread and read from others.
final class LockedText: Sendable {
    private let text = Mutex("")

    func append(_ more: String) { text.withLock { $0 += more } }
    var value: String { text.withLock { $0 } }
}
