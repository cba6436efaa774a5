import Foundation
import LGSPCore
import LGSPServer
import LGSPStorage
import LGSPTesting
import Testing

/// `storage.content`, `storage.folder` and `storage.s3.*` choose the content store.
@Suite("Content storage configuration")
struct ContentStorageConfigurationTests {
    @Test("the default is the data folder's content folder; storage.folder moves it")
    func folder() async throws {
        let temporary = try TemporaryFolder("lgsp-config")
        defer { temporary.remove() }
        let byDefault = try await HubConfiguration.load(environment: [:])
        let store = try #require(try byDefault.content.makeStore(defaultFolder: temporary.path + "/data/content") as? FolderBlobStore)
        #expect(store.root == temporary.path + "/data/content")
        let shared = try await HubConfiguration.load(environment: ["LGSP_STORAGE_FOLDER": temporary.path + "/shared"])
        let moved = try #require(try shared.content.makeStore(defaultFolder: temporary.path + "/data/content") as? FolderBlobStore)
        #expect(moved.root == temporary.path + "/shared")
    }

    @Test("storage.content s3 reads every storage.s3 key; the secret may come as LGSP_S3_SECRET_KEY and is never shown")
    func s3() async throws {
        let configuration = try await HubConfiguration.load(environment: [
            "LGSP_STORAGE_CONTENT": "s3", "LGSP_STORAGE_S3_ENDPOINT": "http://127.0.0.1:9000", "LGSP_STORAGE_S3_BUCKET": "lgsp-content",
            "LGSP_STORAGE_S3_REGION": "vn-hp", "LGSP_STORAGE_S3_PREFIX": "hub", "LGSP_STORAGE_S3_ACCESS_KEY": "HUBKEY",
            "LGSP_S3_SECRET_KEY": "very-secret-value", "LGSP_STORAGE_S3_PART_SIZE": "16777216",
        ])
        let store = try #require(try configuration.content.makeStore(defaultFolder: "/nonexistent") as? S3BlobStore)
        #expect(store.configuration.endpoint.absoluteString == "http://127.0.0.1:9000")
        #expect(store.configuration.bucket == "lgsp-content")
        #expect(store.configuration.region == "vn-hp")
        #expect(store.configuration.prefix == "hub/")
        #expect(store.configuration.accessKey == "HUBKEY")
        #expect(store.configuration.partSize == 16 << 20)
        #expect(!"\(store.configuration)".contains("very-secret-value"))
        #expect(!"\(configuration.content)".contains("very-secret-value"))
        // The long name wins over the short one.
        let both = try await HubConfiguration.load(environment: [
            "LGSP_STORAGE_S3_SECRET_KEY": "long", "LGSP_S3_SECRET_KEY": "short",
        ])
        #expect(both.content.s3SecretKey == "long")
    }

    @Test("a missing or unknown setting is refused naming the key", arguments: [
        (["LGSP_STORAGE_CONTENT": "tape"], "storage.content"),
        (["LGSP_STORAGE_CONTENT": "s3", "LGSP_STORAGE_S3_BUCKET": "lgsp"], "storage.s3.endpoint"),
        (["LGSP_STORAGE_CONTENT": "s3", "LGSP_STORAGE_S3_ENDPOINT": "http://127.0.0.1:9000", "LGSP_STORAGE_S3_BUCKET": "lgsp"], "storage.s3.accessKey"),
        (["LGSP_STORAGE_CONTENT": "s3", "LGSP_STORAGE_S3_ENDPOINT": "http://127.0.0.1:9000", "LGSP_STORAGE_S3_BUCKET": "lgsp",
          "LGSP_STORAGE_S3_ACCESS_KEY": "k"], "storage.s3.secretKey"),
    ])
    func refused(_ environment: [String: String], _ field: String) async throws {
        let configuration = try await HubConfiguration.load(environment: environment)
        let error = #expect(throws: LGSPError.self) { _ = try configuration.content.makeStore(defaultFolder: "/nonexistent") }
        #expect(error?.field == field, "\(String(describing: error))")
    }
}
