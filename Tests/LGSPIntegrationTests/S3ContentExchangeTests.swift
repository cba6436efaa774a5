import Foundation
import LGSPAPI
import LGSPClient
import LGSPCore
import LGSPTesting
import Testing

/// A real hub (`lgsp serve`) keeping its content in an S3-compatible object store (moto).
@Suite("Content on S3", .serialized, .enabled(if: S3TestServer.isAvailable, "no S3 stand-in: set LGSP_TEST_S3_URL or install moto with `make python-deps`"))
struct S3ContentExchangeTests {
    @Test("send, upload, receive and ack with the content on S3; the objects are gone after the purge")
    func exchangeCycle() async throws {
        let server = try await S3TestServer.shared()
        let bucket = try await server.createBucket()
        let hub = try await HubProcess.start(environment: HubProcess.s3Environment(server, bucket: bucket))
        defer { hub.shutdown() }
        let scenario = try await Scenario.make(hub)
        let content = BlobStoreConformance.content(300_000)
        let digest = ContentDigest.of(content)
        let sender = scenario.client(scenario.source)
        let sent = try await sender.send(
            to: [Scenario.firstUnit], subject: "Công văn lưu trên kho đối tượng", dataType: "edoc", file: try scenario.file("cong-van.pdf", content))
        #expect(sent.state == .inTransit)

        // The content is in the bucket, encrypted, and not in the data folder.
        let keys = try await server.keys(bucket: bucket, prefix: "hub-content/\(sent.id)/")
        #expect(!keys.isEmpty)
        #expect(try await server.rawContents(bucket: bucket).range(of: Data("LGSP-PLAINTEXT-MARKER".utf8)) == nil)
        #expect(!hub.data.files(under: "data").contains { $0.hasSuffix(".blob") })

        let receiver = scenario.client(scenario.first)
        _ = try await receiver.accept(sent.id)
        let received = try await receiver.download(sent.id, to: hub.data.path + "/received.pdf")
        #expect(received == digest)
        #expect(try Data(contentsOf: URL(fileURLWithPath: hub.data.path + "/received.pdf")) == content)
        let delivery = try await receiver.acknowledge(sent.id, sha256: received.hex)
        #expect(delivery.state == .delivered)

        let finished = try await sender.packet(sent.id)
        #expect(finished.state == .finished)
        #expect(finished.purgedAt != nil)
        #expect(try await server.keys(bucket: bucket, prefix: "hub-content/\(sent.id)/").isEmpty, "the purge removed the objects")
        #expect(try await RawClient(url: hub.url).send("GET", "/readyz").status == 200)
    }

    @Test("/readyz answers 503 naming server.storage_bucket_missing when the bucket does not exist")
    func readinessNamesTheBucket() async throws {
        let server = try await S3TestServer.shared()
        let hub = try await HubProcess.start(environment: HubProcess.s3Environment(server, bucket: "lgsp-never-created"))
        defer { hub.shutdown() }
        let response = try await RawClient(url: hub.url).send("GET", "/readyz")
        #expect(response.status == 503)
        let problem = try #require(response.problem, "\(response.text)")
        #expect(problem.code == "server.unavailable")
        #expect(problem.details?["storage"]?.contains("server.storage_bucket_missing") == true, "\(response.text)")
        #expect(problem.details?["storage"]?.contains("lgsp-never-created") == true, "\(response.text)")
        #expect(!response.text.contains(server.secretKey))
    }
}
