import Foundation
import LGSPCore
import LGSPStorage
import LGSPTesting
import Testing

/// The blob-store conformance suite on the local folder store.
@Suite("Folder blob store conformance")
struct FolderBlobStoreConformanceTests {
    @Test("blob store contract", arguments: BlobStoreConformance.checks)
    func contract(_ check: ConformanceCheck<BlobFixture>) async throws {
        let folder = try TemporaryFolder("lgsp-blobs")
        defer { folder.remove() }
        let store = try FolderBlobStore(root: folder.path + "/content")
        let fixture = BlobFixture(
            store: store,
            rawContents: { folder.files().reduce(into: Data()) { $0.append(FileManager.default.contents(atPath: $1) ?? Data()) } },
            corrupt: { id in
                let path = store.path(of: id)
                var data = try Data(contentsOf: URL(fileURLWithPath: path))
                data[100_000] ^= 0x01
                try data.write(to: URL(fileURLWithPath: path))
            })
        try await check.run(fixture)
    }

    @Test("a torn last chunk (crash while writing) is dropped, and the upload resumes before it")
    func tornTail() async throws {
        let folder = try TemporaryFolder("lgsp-blobs")
        defer { folder.remove() }
        let store = try FolderBlobStore(root: folder.path + "/content")
        let id = PacketID.generate()
        let key = ContentKey.generate()
        let data = BlobStoreConformance.content(140_000)
        _ = try await store.append(to: id, key: key, at: 0, body: TestBody(data), sync: true)
        // Cut the file in the middle of its last sealed chunk, as a crash during the write would.
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: store.path(of: id)))
        let size = try handle.seekToEnd()
        try handle.truncate(atOffset: size - 100)
        try handle.close()
        #expect(try await store.length(of: id, key: key) == 131_072)
        #expect(try await store.append(to: id, key: key, at: 131_072, body: TestBody(data[131_072...]), sync: true) == 140_000)
        var out = Data()
        try await store.read(id, key: key, range: 0..<140_000) { out.append(contentsOf: $0.readableBytesView) }
        #expect(out == data)
    }
}
