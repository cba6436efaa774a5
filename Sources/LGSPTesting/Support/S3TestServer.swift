import AsyncHTTPClient
import Foundation
import LGSPCore
import LGSPStorage
import Synchronization

/// An S3 stand-in for tests: the moto server (PyPI `moto[server]`) that `make test` starts and names in
/// `LGSP_TEST_S3_URL`, else one started here from the test venv (`Tests/Fixtures/python/moto_s3.py`).
///
/// Without either, S3 tests are skipped with a message — unless `LGSP_REQUIRE_INTEROP=1` (then
/// moto's absence fails them). A started moto lives until its standard input closes: when `stop()`
/// is called or the test process ends.
public final class S3TestServer: Sendable {
    public let url: String
    public let accessKey: String
    public let secretKey: String
    private let process: Process?
    private let input: Pipe?

    private init(url: String, accessKey: String, secretKey: String, process: Process?, input: Pipe?) {
        self.url = url
        self.accessKey = accessKey
        self.secretKey = secretKey
        self.process = process
        self.input = input
    }

    /// The moto server from the venv, if installed.
    static var motoScriptRunnable: Bool {
        guard let python = ExternalTools.python else { return false }
        return FileManager.default.isExecutableFile(atPath: URL(fileURLWithPath: python).deletingLastPathComponent().appendingPathComponent("moto_server").path)
    }

    /// Whether S3 tests run here (else they are skipped, with this type's doc as the reason).
    public static var isAvailable: Bool {
        ProcessInfo.processInfo.environment["LGSP_TEST_S3_URL"] != nil || motoScriptRunnable || ExternalTools.interopRequired
    }

    /// Whether a moto that checks signatures can be started (it is always started here, from the venv).
    public static var canCheckSignatures: Bool { motoScriptRunnable || ExternalTools.interopRequired }

    private static let sharedServer = Mutex<Task<S3TestServer, any Error>?>(nil)

    /// The server shared by every test of this process (moto does not check signatures; any key works).
    public static func shared() async throws -> S3TestServer {
        let task = sharedServer.withLock { current in
            if let current { return current }
            let task = Task { () throws -> S3TestServer in
                if let url = ProcessInfo.processInfo.environment["LGSP_TEST_S3_URL"] {
                    return S3TestServer(url: url, accessKey: "lgsp-test", secretKey: "lgsp-test-secret", process: nil, input: nil)
                }
                return try await start(checkingSignatures: false)
            }
            current = task
            return task
        }
        return try await task.value
    }

    /// A moto of its own that checks every SigV4 signature against an IAM user (whose keys it holds).
    public static func start(checkingSignatures: Bool) async throws -> S3TestServer {
        guard motoScriptRunnable, let python = ExternalTools.python else {
            throw HubProcessError(message: "moto (the S3 stand-in) is not installed in the test venv: run `make python-deps` (or set LGSP_TEST_S3_URL)")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = [PackageRoot.path + "/Tests/Fixtures/python/moto_s3.py"] + (checkingSignatures ? ["--auth"] : [])
        let output = Pipe()
        let input = Pipe()
        process.standardOutput = output
        process.standardInput = input
        process.standardError = FileHandle.nullDevice
        try process.run()
        let line = await withCheckedContinuation { (continuation: CheckedContinuation<Data, Never>) in
            DispatchQueue.global().async {
                var data = Data()
                while !data.contains(0x0A) {
                    let chunk = output.fileHandleForReading.availableData
                    if chunk.isEmpty { break }
                    data.append(chunk)
                }
                continuation.resume(returning: data)
            }
        }
        guard let answer = try? JSONSerialization.jsonObject(with: line) as? [String: String], let url = answer["url"] else {
            Foundation.kill(process.processIdentifier, SIGKILL)
            throw HubProcessError(message: "moto_s3.py did not start: \(String(decoding: line, as: UTF8.self))")
        }
        return S3TestServer(
            url: url, accessKey: answer["accessKey"] ?? "lgsp-test", secretKey: answer["secretKey"] ?? "lgsp-test-secret", process: process, input: input)
    }

    /// Stops a moto started here (not the shared one's: it serves the whole test process).
    public func stop() {
        guard let process, process.isRunning else { return }
        try? input?.fileHandleForWriting.close()
        // SIGKILL: a child started from a Swift test inherits a signal mask that blocks SIGTERM.
        Foundation.kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    /// S3 settings for `bucket` on this server.
    public func configuration(bucket: String, prefix: String = "", secretKey: String? = nil, partSize: Int = S3Configuration.minimumPartSize) throws -> S3Configuration {
        try S3Configuration(
            endpoint: url, bucket: bucket, prefix: prefix, accessKey: accessKey, secretKey: secretKey ?? self.secretKey, partSize: partSize, requestTimeout: 30)
    }

    /// Creates a new bucket with a signed `CreateBucket` and returns its name.
    public func createBucket(prefix: String = "lgsp-test") async throws -> String {
        let name = "\(prefix)-\(UUID().uuidString.lowercased().prefix(13))"
        let client = S3Client(configuration: try configuration(bucket: name))
        await S3Client.discard(try await client.send(.PUT, key: nil, operation: "creating a test bucket"))
        return name
    }

    /// Every object of a bucket, concatenated (what the store keeps at rest).
    public func rawContents(bucket: String) async throws -> Data {
        let client = S3Client(configuration: try configuration(bucket: bucket))
        var out = Data()
        for key in try await keys(bucket: bucket) { out.append(try await object(bucket: bucket, key: key, client: client)) }
        return out
    }

    /// The keys of every object in a bucket (up to 1000).
    public func keys(bucket: String, prefix: String = "") async throws -> [String] {
        let client = S3Client(configuration: try configuration(bucket: bucket))
        let xml = try await client.sendForText(.GET, key: nil, query: [("list-type", "2"), ("prefix", prefix)], operation: "listing a test bucket")
        return Self.texts("Key", xml)
    }

    /// The keys of multipart uploads started and neither completed nor aborted.
    public func unfinishedUploads(bucket: String) async throws -> [String] {
        let client = S3Client(configuration: try configuration(bucket: bucket))
        let xml = try await client.sendForText(.GET, key: nil, query: [("uploads", "")], operation: "listing uploads")
        return Self.texts("UploadId", xml)
    }

    /// How many parts the unfinished multipart uploads of a bucket hold so far.
    public func uploadedParts(bucket: String) async throws -> Int {
        let client = S3Client(configuration: try configuration(bucket: bucket))
        let xml = try await client.sendForText(.GET, key: nil, query: [("uploads", "")], operation: "listing uploads")
        var parts = 0
        for upload in Self.texts("Upload", xml) {
            guard let key = Self.texts("Key", upload).first, let id = Self.texts("UploadId", upload).first else { continue }
            let listing = try await client.sendForText(.GET, key: key, query: [("uploadId", id)], operation: "listing parts")
            parts += Self.texts("PartNumber", listing).count
        }
        return parts
    }

    /// An object's bytes.
    public func object(bucket: String, key: String, client: S3Client? = nil) async throws -> Data {
        let client = try client ?? S3Client(configuration: configuration(bucket: bucket))
        let response = try await client.send(.GET, key: key, operation: "reading a test object")
        return Data(buffer: try await response.body.collect(upTo: 1 << 30))
    }

    /// An object's ETag (`"…-N"` for an object made of N multipart parts).
    public func etag(bucket: String, key: String) async throws -> String? {
        let client = S3Client(configuration: try configuration(bucket: bucket))
        let response = try await client.send(.HEAD, key: key, operation: "reading a test object's ETag")
        return response.headers.first(name: "etag")
    }

    /// Replaces an object's bytes.
    public func putObject(bucket: String, key: String, _ data: Data) async throws {
        let client = S3Client(configuration: try configuration(bucket: bucket))
        await S3Client.discard(try await client.send(.PUT, key: key, body: .init(bytes: data), operation: "writing a test object"))
    }

    private static func texts(_ name: String, _ xml: String) -> [String] {
        xml.components(separatedBy: "<\(name)>").dropFirst().compactMap { $0.components(separatedBy: "</\(name)>").first }
    }
}
