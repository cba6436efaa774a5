import Foundation
import LGSPCore
import LGSPStorage
import LGSPTesting
import NIOCore
import Testing

/// One content folder shared by two nodes (two `FolderBlobStore` instances on the same folder, as two
/// hubs on one NFS mount): each sees what the other stored, concurrent writers do not disturb each
/// other, a reader never sees a half-replaced file, and one packet is never written by two at once.
@Suite("Shared content folder")
struct SharedFolderBlobStoreTests {
    static func readAll(_ store: FolderBlobStore, _ id: PacketID, _ key: ContentKey, _ range: Range<Int64>) async throws -> Data {
        var out = Data()
        try await store.read(id, key: key, range: range) { out.append(contentsOf: $0.readableBytesView) }
        return out
    }

    @Test("content stored by one node is read, resumed and purged by the other")
    func twoNodes() async throws {
        let folder = try TemporaryFolder("lgsp-shared")
        defer { folder.remove() }
        let nodeA = try FolderBlobStore(root: folder.path + "/content")
        let nodeB = try FolderBlobStore(root: folder.path + "/content")
        let id = PacketID.generate()
        let key = ContentKey.generate()
        let data = BlobStoreConformance.content(200_000)
        #expect(try await nodeA.append(to: id, key: key, at: 0, body: TestBody(data[0..<100_001]), sync: true) == 100_001)
        #expect(try await nodeB.length(of: id, key: key) == 100_001)
        #expect(try await nodeB.append(to: id, key: key, at: 100_001, body: TestBody(data[100_001...]), sync: true) == 200_000)
        #expect(try await Self.readAll(nodeA, id, key, 0..<200_000) == data)
        try await nodeB.delete(id)
        let error = await #expect(throws: LGSPError.self) { _ = try await Self.readAll(nodeA, id, key, 0..<10) }
        #expect(error?.code == .contentPurged)
    }

    @Test("many packets written at once by two nodes into the same shard folders all read back on the other node")
    func concurrentWriters() async throws {
        let folder = try TemporaryFolder("lgsp-shared")
        defer { folder.remove() }
        let nodes = [try FolderBlobStore(root: folder.path + "/content"), try FolderBlobStore(root: folder.path + "/content")]
        let key = ContentKey.generate()
        // 48 packets whose ids end alike land in 3 shard folders, created concurrently.
        let ids = (0..<48).map { index in
            let digits = String(index)
            return PacketID("00000000-0000-7000-8000-" + String(repeating: "0", count: 10 - digits.count) + digits + ["0a", "0b", "0c"][index % 3])!
        }
        #expect(Set(ids).count == 48)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for (index, id) in ids.enumerated() {
                group.addTask {
                    let data = BlobStoreConformance.content(70_000 + index * 1000, seed: UInt64(index))
                    _ = try await nodes[index % 2].append(to: id, key: key, at: 0, body: TestBody(data, partSize: 7000), sync: false)
                }
            }
            try await group.waitForAll()
        }
        for (index, id) in ids.enumerated() {
            let data = BlobStoreConformance.content(70_000 + index * 1000, seed: UInt64(index))
            #expect(try await Self.readAll(nodes[(index + 1) % 2], id, key, 0..<Int64(data.count)) == data, "packet \(index)")
        }
        #expect(folder.files().filter { $0.hasSuffix(".tmp") }.isEmpty, "no temporary file is left")
    }

    @Test("while one node replaces a content from its start, readers on the other see the old or the new content whole")
    func atomicReplace() async throws {
        let folder = try TemporaryFolder("lgsp-shared")
        defer { folder.remove() }
        let writer = try FolderBlobStore(root: folder.path + "/content")
        let reader = try FolderBlobStore(root: folder.path + "/content")
        let id = PacketID.generate()
        let key = ContentKey.generate()
        let versions = (0..<4).map { BlobStoreConformance.content(600_000, seed: UInt64(100 + $0)) }
        _ = try await writer.append(to: id, key: key, at: 0, body: TestBody(versions[0]), sync: false)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                for round in 1..<12 {
                    _ = try await writer.append(to: id, key: key, at: 0, body: TestBody(versions[round % 4], partSize: 50_000), sync: false)
                }
            }
            group.addTask {
                for _ in 0..<30 {
                    let seen = try await Self.readAll(reader, id, key, 0..<600_000)
                    #expect(versions.contains(seen), "a read saw a mix of versions or a torn file")
                }
            }
            try await group.waitForAll()
        }
    }

    @Test("a node cannot append to a packet's file while another node is writing it (exchange.upload_in_progress)")
    func oneWriterPerPacket() async throws {
        let folder = try TemporaryFolder("lgsp-shared")
        defer { folder.remove() }
        let nodeA = try FolderBlobStore(root: folder.path + "/content")
        let nodeB = try FolderBlobStore(root: folder.path + "/content")
        let id = PacketID.generate()
        let key = ContentKey.generate()
        let data = BlobStoreConformance.content(100_000)
        _ = try await nodeA.append(to: id, key: key, at: 0, body: TestBody(data[0..<50_000]), sync: true)
        // Node A resumes with a body that stalls until released, holding the file.
        let (stalled, release) = AsyncStream<ByteBuffer>.makeStream()
        let (started, markStarted) = AsyncStream<Void>.makeStream()
        let first = Task {
            try await nodeA.append(to: id, key: key, at: 50_000, body: StartSignalBody(base: stalled, started: markStarted), sync: true)
        }
        for await _ in started { break }
        for offset in [Int64(50_000), 0] {
            let error = await #expect(throws: LGSPError.self, "offset \(offset)") {
                _ = try await nodeB.append(to: id, key: key, at: offset, body: TestBody(data[50_000...]), sync: true)
            }
            #expect(error?.code == .uploadInProgress, "offset \(offset): \(String(describing: error))")
        }
        release.yield(ByteBuffer(bytes: data[50_000...]))
        release.finish()
        #expect(try await first.value == 100_000)
        #expect(try await Self.readAll(nodeB, id, key, 0..<100_000) == data)
    }

    @Test("purge also removes temporary files a crashed writer left")
    func purgeRemovesLeftovers() async throws {
        let folder = try TemporaryFolder("lgsp-shared")
        defer { folder.remove() }
        let store = try FolderBlobStore(root: folder.path + "/content")
        let id = PacketID.generate()
        _ = try await store.append(to: id, key: .generate(), at: 0, body: TestBody(BlobStoreConformance.content(1000)), sync: true)
        let directory = (store.path(of: id) as NSString).deletingLastPathComponent
        let leftover = "\(directory)/.\(id.rawValue).othernode.4242.abcd1234.tmp"
        #expect(FileManager.default.createFile(atPath: leftover, contents: Data(count: 5000)))
        try await store.delete(id)
        #expect(!FileManager.default.fileExists(atPath: leftover))
        #expect(!FileManager.default.fileExists(atPath: store.path(of: id)))
    }
}

/// A body that says when it is first read, then passes its base through.
struct StartSignalBody: AsyncSequence, Sendable {
    typealias Element = ByteBuffer
    let base: AsyncStream<ByteBuffer>
    let started: AsyncStream<Void>.Continuation

    struct AsyncIterator: AsyncIteratorProtocol {
        var base: AsyncStream<ByteBuffer>.AsyncIterator
        let started: AsyncStream<Void>.Continuation

        mutating func next() async throws -> ByteBuffer? {
            started.yield()
            return await base.next()
        }
    }

    func makeAsyncIterator() -> AsyncIterator { AsyncIterator(base: base.makeAsyncIterator(), started: started) }
}
