import Foundation

/// Running programs we did not write (curl, Python clients) against a hub, to prove interoperability.
public enum ExternalTools {
    public struct Result: Sendable {
        public var status: Int32
        public var stdout: Data
        public var stderr: String
        public var text: String { String(decoding: stdout, as: UTF8.self) }
    }

    /// Runs an executable with arguments and optional standard input; returns its status and output.
    public static func run(_ executable: String, _ arguments: [String], input: Data? = nil, environment: [String: String]? = nil) async throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let environment { process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 } }
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        let stdin = Pipe()
        process.standardInput = input == nil ? FileHandle.nullDevice : stdin
        try process.run()
        if let input {
            stdin.fileHandleForWriting.write(input)
            try stdin.fileHandleForWriting.close()
        }
        // Read both pipes concurrently so a full pipe never blocks the child, on Dispatch threads:
        // blocking reads on Swift's cooperative pool (two threads here) would stall every other task.
        async let stdoutData = readToEnd(out.fileHandleForReading)
        async let stderrData = readToEnd(err.fileHandleForReading)
        let (o, e) = await (stdoutData, stderrData)
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            DispatchQueue.global().async {
                process.waitUntilExit()
                continuation.resume()
            }
        }
        return Result(status: process.terminationStatus, stdout: o, stderr: String(decoding: e, as: UTF8.self))
    }

    private static func readToEnd(_ handle: FileHandle) async -> Data {
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(returning: handle.readDataToEndOfFile()) }
        }
    }

    /// curl, if installed.
    public static var curl: String? { which("curl") }

    /// The Python interpreter with the test clients (botocore, openapi-spec-validator, …):
    /// `LGSP_TEST_PYTHON`, else `<root>/.venv-test/bin/python` made by `make test`.
    public static var python: String? {
        if let path = ProcessInfo.processInfo.environment["LGSP_TEST_PYTHON"] { return path }
        let venv = PackageRoot.path + "/.venv-test/bin/python"
        return FileManager.default.isExecutableFile(atPath: venv) ? venv : nil
    }

    /// Whether `make test` promised the interoperability clients (then their absence is a failure, not a skip).
    public static var interopRequired: Bool { ProcessInfo.processInfo.environment["LGSP_REQUIRE_INTEROP"] == "1" }

    public static func which(_ name: String) -> String? {
        for directory in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":") {
            let path = "\(directory)/\(name)"
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        return nil
    }

    /// Runs a Python script file from `Tests/Fixtures/python/` with the test interpreter.
    public static func python(script: String, _ arguments: [String], input: Data? = nil) async throws -> Result {
        guard let python else { throw HubProcessError(message: "no Python with the test clients: run `make test` (or set LGSP_TEST_PYTHON)") }
        return try await run(python, [PackageRoot.path + "/Tests/Fixtures/python/" + script] + arguments, input: input)
    }
}
