import AsyncHTTPClient
import Foundation
import LGSPCore
import NIOCore
import NIOHTTP1

/// Packet content in an S3-compatible object store, so that every node of a cluster reads what any
/// node stored: in the `ChunkCipher` format (AES-256-GCM under the packet's own key, as the folder
/// store), one or more segment objects per packet (`S3Segment`), `<prefix><packet id>/<start>`.
///
/// - Appends stream: sealed chunks are gathered into parts of `partSize` bytes and sent with S3
///   multipart upload, so no more than about one part is held in memory; content smaller than a
///   part is one plain `PUT`. A failure of the object store aborts the multipart upload (nothing
///   half-written stays, and the content keeps its previous length); a body that fails half-way
///   (the client went away) still stores the bytes that arrived, so the upload resumes after them.
/// - Reads use ranged `GET`s of at most `readBatchChunks` chunks each and decrypt as bytes arrive.
/// - `delete` removes every segment (and aborts any multipart upload left by a crashed node); it is
///   idempotent.
/// - `sync` is not needed: the object store acknowledges a write only once it is durable.
///
/// Errors: `server.storage_unreachable`, `server.storage_access_denied`, `server.storage_bucket_missing` (see `S3Client`),
/// `exchange.content_purged`, `server.storage_failure` for altered or missing bytes.
public struct S3BlobStore: BlobStore {
    public let client: S3Client
    public var configuration: S3Configuration { client.configuration }

    /// Chunks per ranged `GET` (8 MiB of plaintext).
    static let readBatchChunks: Int64 = 128

    /// Uses the bucket `configuration` names (it must exist), sending through `http`.
    public init(configuration: S3Configuration, http: HTTPClient = .shared) {
        client = S3Client(configuration: configuration, http: http)
    }

    public func ping() async throws {
        let query = [("list-type", "2"), ("max-keys", "1"), ("prefix", configuration.prefix)]
        _ = try await client.sendForText(.GET, key: nil, query: query.map { (name: $0.0, value: $0.1) }, operation: "checking the bucket")
    }

    public func length(of id: PacketID, key: ContentKey) async throws -> Int64 {
        try await segments(of: id).last?.end ?? 0
    }

    public func read(
        _ id: PacketID, key: ContentKey, range: Range<Int64>, consume: (ByteBuffer) async throws -> Void
    ) async throws {
        guard !range.isEmpty else { return }
        let segments = try await segments(of: id)
        guard let last = segments.last else {
            throw LGSPError(.contentPurged, "the content of packet \(id) is no longer stored")
        }
        guard range.upperBound <= last.end else {
            throw LGSPError(.storageFailure, "stored content of packet \(id) is shorter than \(range.upperBound) bytes")
        }
        let cipher = ChunkCipher(key: key.key, packet: id)
        let chunk = Int64(ChunkCipher.plainChunkSize)
        var index = range.lowerBound / chunk
        let lastIndex = (range.upperBound - 1) / chunk
        while index <= lastIndex {
            guard let (segment, next) = S3Segment.holding(chunk: index, in: segments), index < segment.firstChunk + segment.chunkCount else {
                throw LGSPError(.storageFailure, "stored content of packet \(id) lacks chunk \(index); a segment object is missing")
            }
            let limit = min(lastIndex + 1, segment.firstChunk + segment.chunkCount, next?.firstChunk ?? .max)
            let count = min(Self.readBatchChunks, limit - index)
            try await readChunks(segment, from: index, count: count, cipher: cipher, range: range, consume: consume)
            index += count
        }
    }

    /// Reads `count` chunks of one segment from chunk `index` with one ranged `GET`, decrypting as they arrive.
    private func readChunks(
        _ segment: S3Segment, from index: Int64, count: Int64, cipher: ChunkCipher, range: Range<Int64>,
        consume: (ByteBuffer) async throws -> Void
    ) async throws {
        let sealedSize = Int64(ChunkCipher.sealedChunkSize)
        let chunk = Int64(ChunkCipher.plainChunkSize)
        let first = (index - segment.firstChunk) * sealedSize
        let end = min(segment.size, first + count * sealedSize)
        let response = try await client.send(
            .GET, key: segment.key, headers: [("range", "bytes=\(first)-\(end - 1)")], operation: "reading content", allowNotFound: true)
        guard response.status != .notFound else {
            await S3Client.discard(response)
            throw LGSPError(.contentPurged, "the content of packet \(cipher.packet) is no longer stored")
        }
        var current = index
        func emit(_ sealed: ByteBuffer) async throws {
            var plain = try cipher.open(sealed, index: current)
            let chunkStart = current * chunk
            let from = max(range.lowerBound, chunkStart) - chunkStart
            let to = min(range.upperBound, chunkStart + Int64(plain.readableBytes)) - chunkStart
            if to > from {
                plain.moveReaderIndex(forwardBy: Int(from))
                try await consume(plain.readSlice(length: Int(to - from))!)
            }
            current += 1
        }
        var pending = ByteBuffer()
        var iterator = response.body.makeAsyncIterator()
        while true {
            let next: ByteBuffer?
            do {
                next = try await iterator.next()
            } catch {
                throw client.unreachable("reading content", error)
            }
            guard var next else { break }
            pending.writeBuffer(&next)
            while pending.readableBytes >= sealedSize, current < index + count {
                try await emit(pending.readSlice(length: Int(sealedSize))!)
            }
            pending.discardReadBytes()
        }
        if pending.readableBytes > 0 { try await emit(pending) }
        guard current == index + count else {
            throw LGSPError(.storageFailure, "stored content of packet \(cipher.packet) is shorter than expected at chunk \(current)")
        }
    }

    public func delete(_ id: PacketID) async throws {
        // From the last segment down: a delete that fails half-way still leaves a readable prefix.
        for segment in try await segments(of: id).reversed() { try await deleteObject(segment.key) }
        // Multipart uploads a crashed node left behind hold stored bytes too.
        for (key, uploadID) in try await pendingUploads(prefix: S3Segment.folder(prefix: configuration.prefix, id: id)) {
            let response = try await client.send(.DELETE, key: key, query: [("uploadId", uploadID)], operation: "aborting an unfinished upload", allowNotFound: true)
            await S3Client.discard(response)
        }
    }

    /// The object keys that hold a packet's content (for operators and tests).
    public func objectKeys(of id: PacketID) async throws -> [String] {
        try await segments(of: id).map(\.key)
    }

    func deleteObject(_ key: String) async throws {
        let response = try await client.send(.DELETE, key: key, operation: "deleting content", allowNotFound: true)
        await S3Client.discard(response)
    }

    /// The packet's segments, by start.
    func segments(of id: PacketID) async throws -> [S3Segment] {
        let folder = S3Segment.folder(prefix: configuration.prefix, id: id)
        var segments: [S3Segment] = []
        var token: String?
        repeat {
            var query: [(name: String, value: String)] = [("list-type", "2"), ("prefix", folder)]
            if let token { query.append(("continuation-token", token)) }
            let xml = try await client.sendForText(.GET, key: nil, query: query, operation: "listing content")
            for entry in S3XML.texts("Contents", in: xml) {
                guard let key = S3XML.text("Key", in: entry), let size = S3XML.text("Size", in: entry).flatMap({ Int64($0) }) else { continue }
                if let segment = S3Segment(key: key, size: size, folder: folder) { segments.append(segment) }
            }
            token = S3XML.text("IsTruncated", in: xml) == "true" ? S3XML.text("NextContinuationToken", in: xml) : nil
        } while token != nil
        return segments.sorted { $0.start < $1.start }
    }

    /// Unfinished multipart uploads under `prefix`: (key, upload id).
    func pendingUploads(prefix: String) async throws -> [(String, String)] {
        let xml = try await client.sendForText(.GET, key: nil, query: [("uploads", ""), ("prefix", prefix)], operation: "listing unfinished uploads")
        return S3XML.texts("Upload", in: xml).compactMap { upload in
            guard let key = S3XML.text("Key", in: upload), let id = S3XML.text("UploadId", in: upload) else { return nil }
            return (key, id)
        }
    }
}
