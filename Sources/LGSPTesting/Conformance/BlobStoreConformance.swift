import Crypto
import Foundation
import LGSPCore
import NIOCore
import Testing

/// What a blob-store conformance check gets: the store and a way to read everything it keeps at rest.
public struct BlobFixture: Sendable {
    public let store: any BlobStore
    public let rawContents: @Sendable () async throws -> Data
    /// Flips one stored byte of the packet's content (to prove tampering is detected).
    public let corrupt: @Sendable (PacketID) async throws -> Void

    public init(store: any BlobStore, rawContents: @escaping @Sendable () async throws -> Data, corrupt: @escaping @Sendable (PacketID) async throws -> Void) {
        self.store = store
        self.rawContents = rawContents
        self.corrupt = corrupt
    }
}

/// An async sequence of buffers that can fail after some of them, as a dropped connection does.
public struct TestBody: AsyncSequence, Sendable {
    public typealias Element = ByteBuffer
    let parts: [ByteBuffer]
    let failAfter: Int?

    public init(_ slice: Data, partSize: Int = 10_000, failAfter: Int? = nil) {
        let data = Data(slice)  // rebase a slice to index 0
        var parts: [ByteBuffer] = []
        var offset = 0
        while offset < data.count {
            let end = Swift.min(data.count, offset + partSize)
            parts.append(ByteBuffer(bytes: data[offset..<end]))
            offset = end
        }
        self.parts = parts
        self.failAfter = failAfter
    }

    public struct Dropped: Error {}

    public struct AsyncIterator: AsyncIteratorProtocol {
        var index = 0
        let parts: [ByteBuffer]
        let failAfter: Int?

        public mutating func next() async throws -> ByteBuffer? {
            if let failAfter, index == failAfter { throw Dropped() }
            guard index < parts.count else { return nil }
            defer { index += 1 }
            return parts[index]
        }
    }

    public func makeAsyncIterator() -> AsyncIterator { AsyncIterator(parts: parts, failAfter: failAfter) }
}

/// The `BlobStore` contract, as checks every implementation must pass.
public enum BlobStoreConformance {
    /// Deterministic pseudo-random bytes (a marker at the start makes plaintext searchable).
    public static func content(_ size: Int, seed: UInt64 = 42) -> Data {
        var state = seed
        var data = Data(capacity: size)
        let marker = Data("LGSP-PLAINTEXT-MARKER".utf8)
        for index in 0..<size {
            if index < marker.count {
                data.append(marker[marker.startIndex + index])
            } else {
                state = state &* 6364136223846793005 &+ 1442695040888963407
                data.append(UInt8(truncatingIfNeeded: state >> 33))
            }
        }
        return data
    }

    static func readAll(_ store: any BlobStore, _ id: PacketID, _ key: ContentKey, _ range: Range<Int64>) async throws -> Data {
        var out = Data()
        try await store.read(id, key: key, range: range) { buffer in out.append(contentsOf: buffer.readableBytesView) }
        return out
    }

    public static let checks: [ConformanceCheck<BlobFixture>] = {
        var checks: [ConformanceCheck<BlobFixture>] = []
        for size in [0, 1, 65_535, 65_536, 65_537, 200_000] {
            checks.append(.init("content of \(size) bytes reads back whole and by ranges") { (fixture: BlobFixture) async throws in
                let id = PacketID.generate()
                let key = ContentKey.generate()
                let data = content(size)
                #expect(try await fixture.store.append(to: id, key: key, at: 0, body: TestBody(data), sync: true) == Int64(size))
                #expect(try await fixture.store.length(of: id, key: key) == Int64(size))
                #expect(try await readAll(fixture.store, id, key, 0..<Int64(size)) == data)
                for range in [0..<1, 65_530..<65_540, 100..<150_000, Int64(size) - 1..<Int64(size)] where range.lowerBound >= 0 && range.upperBound <= Int64(size) {
                    let expected = data[Int(range.lowerBound)..<Int(range.upperBound)]
                    #expect(try await readAll(fixture.store, id, key, range) == expected, "range \(range)")
                }
            })
        }
        checks += [
            .init("an upload continues where the previous part ended, across a partial chunk") { (fixture: BlobFixture) async throws in
                let id = PacketID.generate()
                let key = ContentKey.generate()
                let data = content(150_000)
                #expect(try await fixture.store.append(to: id, key: key, at: 0, body: TestBody(data[0..<70_000]), sync: false) == 70_000)
                #expect(try await fixture.store.append(to: id, key: key, at: 70_000, body: TestBody(data[70_000..<100_001]), sync: false) == 100_001)
                #expect(try await fixture.store.append(to: id, key: key, at: 100_001, body: TestBody(data[100_001...]), sync: true) == 150_000)
                #expect(try await readAll(fixture.store, id, key, 0..<150_000) == data)
            },
            .init("bytes received before a dropped connection are kept, and the upload resumes") { (fixture: BlobFixture) async throws in
                let id = PacketID.generate()
                let key = ContentKey.generate()
                let data = content(120_000)
                await #expect(throws: TestBody.Dropped.self) {
                    _ = try await fixture.store.append(to: id, key: key, at: 0, body: TestBody(data, partSize: 10_000, failAfter: 7), sync: true)
                }
                #expect(try await fixture.store.length(of: id, key: key) == 70_000)
                #expect(try await fixture.store.append(to: id, key: key, at: 70_000, body: TestBody(data[70_000...]), sync: true) == 120_000)
                #expect(try await readAll(fixture.store, id, key, 0..<120_000) == data)
            },
            .init("an append at the wrong offset is refused with exchange.upload_offset_mismatch") { (fixture: BlobFixture) async throws in
                let id = PacketID.generate()
                let key = ContentKey.generate()
                _ = try await fixture.store.append(to: id, key: key, at: 0, body: TestBody(content(1000)), sync: false)
                let error = await #expect(throws: LGSPError.self) {
                    _ = try await fixture.store.append(to: id, key: key, at: 500, body: TestBody(content(10)), sync: false)
                }
                #expect(error?.code == .uploadOffsetMismatch)
                #expect(error?.details["uploadOffset"] == "1000")
            },
            .init("an append at offset 0 starts the content over") { (fixture: BlobFixture) async throws in
                let id = PacketID.generate()
                let key = ContentKey.generate()
                _ = try await fixture.store.append(to: id, key: key, at: 0, body: TestBody(content(100_000, seed: 1)), sync: false)
                let data = content(3000, seed: 2)
                #expect(try await fixture.store.append(to: id, key: key, at: 0, body: TestBody(data), sync: false) == 3000)
                #expect(try await readAll(fixture.store, id, key, 0..<3000) == data)
            },
            .init("nothing is stored in clear") { (fixture: BlobFixture) async throws in
                let id = PacketID.generate()
                let data = content(100_000)
                _ = try await fixture.store.append(to: id, key: .generate(), at: 0, body: TestBody(data), sync: true)
                let raw = try await fixture.rawContents()
                #expect(raw.count > 100_000, "rawContents should include the stored content")
                #expect(raw.range(of: data[0..<21]) == nil)
                #expect(raw.range(of: data[50_000..<50_064]) == nil)
            },
            .init("content read with another key fails with server.storage_failure") { (fixture: BlobFixture) async throws in
                let id = PacketID.generate()
                _ = try await fixture.store.append(to: id, key: .generate(), at: 0, body: TestBody(content(1000)), sync: false)
                let error = await #expect(throws: LGSPError.self) { _ = try await readAll(fixture.store, id, .generate(), 0..<1000) }
                #expect(error?.code == .storageFailure)
            },
            .init("altered content fails its integrity check") { (fixture: BlobFixture) async throws in
                let id = PacketID.generate()
                let key = ContentKey.generate()
                _ = try await fixture.store.append(to: id, key: key, at: 0, body: TestBody(content(200_000)), sync: true)
                try await fixture.corrupt(id)
                let error = await #expect(throws: LGSPError.self) { _ = try await readAll(fixture.store, id, key, 0..<200_000) }
                #expect(error?.code == .storageFailure)
            },
            .init("delete removes every byte, is idempotent, and later reads say the content is purged") { (fixture: BlobFixture) async throws in
                let id = PacketID.generate()
                let key = ContentKey.generate()
                _ = try await fixture.store.append(to: id, key: key, at: 0, body: TestBody(content(100_000)), sync: true)
                let before = try await fixture.rawContents().count
                try await fixture.store.delete(id)
                try await fixture.store.delete(id)
                #expect(try await fixture.rawContents().count < before - 100_000)
                #expect(try await fixture.store.length(of: id, key: key) == 0)
                let error = await #expect(throws: LGSPError.self) { _ = try await readAll(fixture.store, id, key, 0..<10) }
                #expect(error?.code == .contentPurged)
            },
        ]
        return checks
    }()
}
