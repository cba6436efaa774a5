import LGSPCore
import NIOCore

extension S3BlobStore {
    /// Appends as a new segment (see `S3Segment`), streamed through `S3ObjectWriter`.
    ///
    /// If the body fails, the bytes that arrived are still stored (the upload resumes after them) and
    /// the body's error is rethrown; if the object store fails, the segment's multipart upload is
    /// aborted and the content keeps the length it had before.
    public func append<Body: AsyncSequence & Sendable>(
        to id: PacketID, key: ContentKey, at offset: Int64, body: Body, sync: Bool
    ) async throws -> Int64 where Body.Element == ByteBuffer {
        let cipher = ChunkCipher(key: key.key, packet: id)
        let chunk = Int64(ChunkCipher.plainChunkSize)
        let segments = try await segments(of: id)
        var pending = ByteBuffer()
        let start: Int64
        if offset == 0 {
            // Starting over: remove the old content, last segment first (a failure leaves a readable prefix).
            for segment in segments.reversed() { try await deleteObject(segment.key) }
            start = 0
        } else {
            let current = segments.last?.end ?? 0
            guard current == offset else {
                throw LGSPError(.uploadOffsetMismatch, "the upload must continue at byte \(current), not \(offset)",
                    details: ["uploadOffset": "\(current)"])
            }
            start = offset / chunk * chunk
            // Continue a partial last chunk: its plaintext heads the new segment, which supersedes it.
            if start < offset, let last = segments.last { pending = try await tail(of: last, chunk: start / chunk, cipher: cipher) }
        }
        var writer = S3ObjectWriter(client: client, key: S3Segment.key(prefix: configuration.prefix, id: id, start: start))
        var chunkIndex = start / chunk
        var received: Int64 = 0
        var bodyFailure: (any Error)?
        do {
            var iterator = body.makeAsyncIterator()
            while true {
                let next: ByteBuffer?
                do {
                    next = try await iterator.next()
                } catch {
                    // The body failed (the client went away): keep what arrived, as the contract asks.
                    bodyFailure = error
                    break
                }
                guard var buffer = next else { break }
                received += Int64(buffer.readableBytes)
                while buffer.readableBytes > 0 {
                    var slice = buffer.readSlice(length: min(ChunkCipher.plainChunkSize - pending.readableBytes, buffer.readableBytes))!
                    pending.writeBuffer(&slice)
                    if pending.readableBytes == ChunkCipher.plainChunkSize {
                        var sealed = try cipher.seal(pending, index: chunkIndex)
                        try await writer.write(&sealed)
                        pending.clear()
                        chunkIndex += 1
                    }
                }
            }
            if received == 0 {
                // Nothing new arrived: the stored content stays as it was (or empty after a restart).
                if let bodyFailure { throw bodyFailure }
                return offset
            }
            let last = pending.readableBytes > 0 ? try cipher.seal(pending, index: chunkIndex) : ByteBuffer()
            // A request whose client went away may be cancelled, and a cancelled task's requests fail
            // at once, so the last part and the completion run in a task of their own.
            let finishing = writer
            try await Task {
                var writer = finishing
                var last = last
                do {
                    if last.readableBytes > 0 { try await writer.write(&last) }
                    try await writer.finish()
                } catch {
                    await writer.abort()
                    throw error
                }
            }.value
        } catch {
            // The object store failed: nothing of this append stays; the content keeps its previous length.
            let abandoned = writer
            await Task { await abandoned.abort() }.value
            throw error
        }
        if let bodyFailure { throw bodyFailure }
        return offset + received
    }

    /// The plaintext of the partial chunk `index` that ends `segment`.
    func tail(of segment: S3Segment, chunk index: Int64, cipher: ChunkCipher) async throws -> ByteBuffer {
        let from = (index - segment.firstChunk) * Int64(ChunkCipher.sealedChunkSize)
        guard from >= 0, from < segment.size else {
            throw LGSPError(.storageFailure, "stored content of packet \(cipher.packet) lacks its last chunk \(index)")
        }
        let response = try await client.send(.GET, key: segment.key, headers: [("range", "bytes=\(from)-\(segment.size - 1)")], operation: "reading the last chunk")
        let sealed: ByteBuffer
        do {
            sealed = try await response.body.collect(upTo: ChunkCipher.sealedChunkSize)
        } catch {
            throw client.unreachable("reading the last chunk", error)
        }
        return try cipher.open(sealed, index: index)
    }
}
