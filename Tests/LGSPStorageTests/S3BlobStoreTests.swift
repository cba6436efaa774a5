import Crypto
import Foundation
import LGSPCore
import LGSPStorage
import LGSPTesting
import NIOCore
import Testing

/// The blob-store conformance suite on an S3-compatible object store (moto), and what is S3's own:
/// multipart uploads, their abort on failure, refused credentials, a missing bucket, purge.
@Suite("S3 blob store", .enabled(if: S3TestServer.isAvailable, "no S3 stand-in: set LGSP_TEST_S3_URL or install moto with `make python-deps`"))
struct S3BlobStoreTests {
    /// A store on a new bucket of the shared moto.
    static func freshStore(partSize: Int = S3Configuration.minimumPartSize, prefix: String = "content/") async throws -> (S3TestServer, String, S3BlobStore) {
        let server = try await S3TestServer.shared()
        let bucket = try await server.createBucket()
        return (server, bucket, S3BlobStore(configuration: try server.configuration(bucket: bucket, prefix: prefix, partSize: partSize)))
    }

    static func readAll(_ store: S3BlobStore, _ id: PacketID, _ key: ContentKey, _ range: Range<Int64>) async throws -> Data {
        var out = Data()
        try await store.read(id, key: key, range: range) { out.append(contentsOf: $0.readableBytesView) }
        return out
    }

    @Test("blob store contract", arguments: BlobStoreConformance.checks)
    func contract(_ check: ConformanceCheck<BlobFixture>) async throws {
        let (server, bucket, store) = try await Self.freshStore()
        let fixture = BlobFixture(
            store: store,
            rawContents: { try await server.rawContents(bucket: bucket) },
            corrupt: { id in
                let key = try #require(try await store.objectKeys(of: id).first)
                var data = try await server.object(bucket: bucket, key: key)
                data[100_000] ^= 0x01
                try await server.putObject(bucket: bucket, key: key, data)
            })
        try await check.run(fixture)
    }

    @Test("content larger than one part is sent as a multipart upload, one part in memory at a time, and reads back whole")
    func multipart() async throws {
        let (server, bucket, store) = try await Self.freshStore()
        let id = PacketID.generate()
        let key = ContentKey.generate()
        let size = 12 * 1024 * 1024 + 12_345
        // When 11 MiB have been read from the body, at least two 5 MiB parts must already be in the object store.
        let partsSeen = Counter()
        let body = GeneratedBody(size: size, checkpoint: 11 << 20) {
            partsSeen.value = try await server.uploadedParts(bucket: bucket)
        }
        #expect(try await store.append(to: id, key: key, at: 0, body: body, sync: true) == Int64(size))
        #expect(body.producedBytes == size)
        #expect(partsSeen.value >= 2, "parts uploaded before the body was read further: \(partsSeen.value)")
        // Sealed size ≈ 12 MiB: parts of 5 MiB, 5 MiB and the rest.
        let keys = try await store.objectKeys(of: id)
        #expect(keys.count == 1)
        let etag = try #require(try await server.etag(bucket: bucket, key: keys[0]))
        #expect(etag.trimmingCharacters(in: CharacterSet(charactersIn: "\"")).hasSuffix("-3"), "an object of 3 multipart parts, ETag \(etag)")
        #expect(try await server.unfinishedUploads(bucket: bucket).isEmpty)
        #expect(try await store.length(of: id, key: key) == Int64(size))

        var hasher = SHA256()
        try await store.read(id, key: key, range: 0..<Int64(size)) { buffer in buffer.withUnsafeReadableBytes { hasher.update(bufferPointer: $0) } }
        #expect(ContentDigest(hasher.finalize()) == GeneratedBody.digest(size: size))
        let across = Int64(5 << 20) - 1000..<Int64(5 << 20) + 1000
        #expect(try await Self.readAll(store, id, key, across) == GeneratedBody.bytes(size: size, range: across))
    }

    @Test("a multipart upload continues after a partial chunk, and the new segment supersedes the old tail")
    func resumeAfterMultipart() async throws {
        let (_, _, store) = try await Self.freshStore()
        let id = PacketID.generate()
        let key = ContentKey.generate()
        let size = 6 * 1024 * 1024 + 777
        let first = Int64(5 * 1024 * 1024 + 333)
        let all = GeneratedBody.bytes(size: size, range: 0..<Int64(size))
        #expect(try await store.append(to: id, key: key, at: 0, body: TestBody(all[0..<Int(first)], partSize: 256 << 10), sync: true) == first)
        #expect(try await store.append(to: id, key: key, at: first, body: TestBody(all[Int(first)...], partSize: 256 << 10), sync: true) == Int64(size))
        #expect(try await store.objectKeys(of: id).count == 2)
        #expect(try await Self.readAll(store, id, key, 0..<Int64(size)) == all)
    }

    @Test("an object store failure during a multipart upload aborts it: no object, no stored part, the old length stays")
    func abortOnFailure() async throws {
        let (server, bucket, direct) = try await Self.freshStore()
        let id = PacketID.generate()
        let key = ContentKey.generate()
        // A first piece stored normally.
        let keep = Data(GeneratedBody.bytes(size: 100_000, range: 0..<100_000))
        _ = try await direct.append(to: id, key: key, at: 0, body: TestBody(keep), sync: true)

        // Then through a proxy that cuts the connection 7 MiB into the next upload (during its second part).
        let proxy = try await CuttingProxy.start(targetPort: try #require(URL(string: server.url)?.port), cutAfter: 7 << 20, countingAllConnections: true)
        defer { proxy.stop() }
        let cut = S3BlobStore(configuration: try S3Configuration(
            endpoint: "http://127.0.0.1:\(proxy.port)", bucket: bucket, prefix: "content/", accessKey: server.accessKey, secretKey: server.secretKey,
            partSize: S3Configuration.minimumPartSize, requestTimeout: 30))
        let error = await #expect(throws: LGSPError.self) {
            _ = try await cut.append(to: id, key: key, at: 100_000, body: GeneratedBody(size: 12 << 20, offset: 100_000), sync: true)
        }
        #expect(error?.code == .storageUnreachable, "\(String(describing: error))")
        #expect(try await server.unfinishedUploads(bucket: bucket).isEmpty, "the multipart upload was aborted")
        #expect(try await direct.objectKeys(of: id).count == 1, "no second segment")
        #expect(try await direct.length(of: id, key: key) == 100_000)
        #expect(try await Self.readAll(direct, id, key, 0..<100_000) == keep)
    }

    @Test("a wrong secret is refused with server.storage_access_denied; the right one works (moto checks signatures)",
        .enabled(if: S3TestServer.canCheckSignatures, "moto is not installed in the test venv (make python-deps)"))
    func wrongSecret() async throws {
        let server = try await S3TestServer.start(checkingSignatures: true)
        defer { server.stop() }
        let bucket = try await server.createBucket()
        let good = S3BlobStore(configuration: try server.configuration(bucket: bucket))
        let bad = S3BlobStore(configuration: try server.configuration(bucket: bucket, secretKey: "not-the-secret"))
        let id = PacketID.generate()
        let key = ContentKey.generate()
        let data = BlobStoreConformance.content(70_000)
        try await good.ping()
        #expect(try await good.append(to: id, key: key, at: 0, body: TestBody(data), sync: true) == 70_000)
        for attempt in ["ping", "append", "read"] {
            let error = await #expect(throws: LGSPError.self, "\(attempt)") {
                switch attempt {
                case "ping": try await bad.ping()
                case "append": _ = try await bad.append(to: PacketID.generate(), key: key, at: 0, body: TestBody(data), sync: true)
                default: _ = try await Self.readAll(bad, id, key, 0..<70_000)
                }
            }
            #expect(error?.code == .storageAccessDenied, "\(attempt): \(String(describing: error))")
            #expect(error?.message.contains("SignatureDoesNotMatch") == true, "\(attempt): \(String(describing: error))")
            #expect(error?.message.contains("not-the-secret") == false)
        }
        #expect(try await Self.readAll(good, id, key, 0..<70_000) == data)
    }

    @Test("a missing bucket is reported as server.storage_bucket_missing, naming it")
    func missingBucket() async throws {
        let server = try await S3TestServer.shared()
        let store = S3BlobStore(configuration: try server.configuration(bucket: "lgsp-no-such-bucket"))
        for attempt in ["ping", "length", "append"] {
            let error = await #expect(throws: LGSPError.self, "\(attempt)") {
                switch attempt {
                case "ping": try await store.ping()
                case "length": _ = try await store.length(of: PacketID.generate(), key: .generate())
                default: _ = try await store.append(to: PacketID.generate(), key: .generate(), at: 0, body: TestBody(Data(count: 10)), sync: true)
                }
            }
            #expect(error?.code == .storageBucketMissing, "\(attempt): \(String(describing: error))")
            #expect(error?.message.contains("lgsp-no-such-bucket") == true)
        }
    }

    @Test("an object store nobody answers for is reported as server.storage_unreachable")
    func unreachable() async throws {
        let port = try CuttingProxy.freePort()
        let store = S3BlobStore(configuration: try S3Configuration(
            endpoint: "http://127.0.0.1:\(port)", bucket: "lgsp-content", accessKey: "a", secretKey: "b", requestTimeout: 5))
        let error = await #expect(throws: LGSPError.self) { try await store.ping() }
        #expect(error?.code == .storageUnreachable, "\(String(describing: error))")
        #expect(error?.message.contains("127.0.0.1:\(port)") == true)
    }

    @Test("purge removes every segment and unfinished upload of the packet, is idempotent, and spares other packets")
    func purge() async throws {
        let (server, bucket, store) = try await Self.freshStore()
        let id = PacketID.generate()
        let other = PacketID.generate()
        let key = ContentKey.generate()
        let data = BlobStoreConformance.content(150_000)
        _ = try await store.append(to: id, key: key, at: 0, body: TestBody(data[0..<70_000]), sync: true)
        _ = try await store.append(to: id, key: key, at: 70_000, body: TestBody(data[70_000...]), sync: true)
        _ = try await store.append(to: other, key: key, at: 0, body: TestBody(data), sync: true)
        // A multipart upload a crashed node left behind.
        let client = S3Client(configuration: store.configuration)
        _ = try await client.sendForText(.POST, key: "content/\(id.rawValue)/00000000000000131072", query: [("uploads", "")], operation: "test")
        #expect(try await server.unfinishedUploads(bucket: bucket).count == 1)

        try await store.delete(id)
        try await store.delete(id)
        #expect(try await server.keys(bucket: bucket, prefix: "content/\(id.rawValue)/").isEmpty)
        #expect(try await server.unfinishedUploads(bucket: bucket).isEmpty)
        #expect(try await store.length(of: id, key: key) == 0)
        #expect(try await Self.readAll(store, other, key, 0..<150_000) == data)
    }

}

/// S3 settings are checked before any request is made.
@Suite("S3 configuration")
struct S3ConfigurationTests {
    @Test("bad S3 settings are refused naming the key", arguments: [
        ("ftp://x", "lgsp", "", "storage.s3.endpoint"), ("http://127.0.0.1:9000/path", "lgsp", "", "storage.s3.endpoint"),
        ("http://127.0.0.1:9000", "LGSP_Content", "", "storage.s3.bucket"), ("http://127.0.0.1:9000", "ab", "", "storage.s3.bucket"),
        ("http://127.0.0.1:9000", "lgsp", "/abs", "storage.s3.prefix"), ("http://127.0.0.1:9000", "lgsp", "a b/", "storage.s3.prefix"),
    ])
    func badSettings(_ endpoint: String, _ bucket: String, _ prefix: String, _ field: String) {
        let error = #expect(throws: LGSPError.self) {
            _ = try S3Configuration(endpoint: endpoint, bucket: bucket, prefix: prefix, accessKey: "a", secretKey: "b")
        }
        #expect(error?.code == .invalidField)
        #expect(error?.field == field)
    }
}
