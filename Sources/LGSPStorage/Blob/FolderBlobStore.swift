import Crypto
import Foundation
import LGSPCore
import NIOCore
import _NIOFileSystem

/// Packet content in a local (or shared, NFS-style) folder: one encrypted file per packet,
/// `content/<last two hex digits>/<packet id>.blob`, in the `ChunkCipher` format.
///
/// Appends keep every byte received, even when the body stream fails half-way: the bytes that
/// arrived are sealed as the file's last chunk, and a later append re-opens that chunk. A torn
/// last chunk (crash during a write) fails authentication and is dropped, so `length` only ever
/// counts bytes that were stored whole.
public struct FolderBlobStore: BlobStore {
    public let root: String
    private let fileSystem = FileSystem.shared

    /// Uses (and creates) `root` as the content folder.
    public init(root: String) throws {
        self.root = root
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
    }

    /// The file that holds a packet's content.
    public func path(of id: PacketID) -> String {
        "\(root)/\(id.rawValue.suffix(2))/\(id.rawValue).blob"
    }

    public func length(of id: PacketID, key: ContentKey) async throws -> Int64 {
        let cipher = ChunkCipher(key: key.key, packet: id)
        do {
            return try await fileSystem.withFileHandle(forReadingAt: FilePath(path(of: id))) { handle in
                try await validLength(handle: handle, cipher: cipher).plain
            }
        } catch let error as FileSystemError where error.code == .notFound {
            return 0
        }
    }

    public func append<Body: AsyncSequence & Sendable>(
        to id: PacketID, key: ContentKey, at offset: Int64, body: Body, sync: Bool
    ) async throws -> Int64 where Body.Element == ByteBuffer {
        let cipher = ChunkCipher(key: key.key, packet: id)
        let filePath = path(of: id)
        try FileManager.default.createDirectory(
            atPath: (filePath as NSString).deletingLastPathComponent, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        // Offset 0 starts over: the open truncates, saving a separate call.
        let options = OpenOptions.Write(
            existingFile: offset == 0 ? .truncate : .open, newFile: .init(permissions: [.ownerReadWrite]), followSymbolicLinks: false)
        return try await fileSystem.withFileHandle(forReadingAndWritingAt: FilePath(filePath), options: options) { handle in
            var pending = ByteBuffer()
            var chunkIndex: Int64
            if offset == 0 {
                chunkIndex = 0
            } else {
                let current = try await validLength(handle: handle, cipher: cipher)
                guard current.plain == offset else {
                    throw LGSPError(.uploadOffsetMismatch, "the upload must continue at byte \(current.plain), not \(offset)",
                        details: ["uploadOffset": "\(current.plain)"])
                }
                chunkIndex = current.plain / Int64(ChunkCipher.plainChunkSize)
                // Re-open a partial last chunk so that new bytes extend it.
                if let tail = current.tail { pending = tail }
                try await handle.resize(to: .bytes(chunkIndex * Int64(ChunkCipher.sealedChunkSize)))
            }
            var written = chunkIndex * Int64(ChunkCipher.plainChunkSize)
            // Sealed chunks are written 16 at a time (~1 MiB): one file-system call per batch.
            var batch = ByteBuffer()
            var batchOffset = chunkIndex * Int64(ChunkCipher.sealedChunkSize)

            func writeBatch() async throws {
                guard batch.readableBytes > 0 else { return }
                try await handle.write(contentsOf: batch, toAbsoluteOffset: batchOffset)
                batchOffset += Int64(batch.readableBytes)
                batch.clear()
            }

            func flush(_ chunk: ByteBuffer) async throws {
                var sealed = try cipher.seal(chunk, index: chunkIndex)
                batch.writeBuffer(&sealed)
                written += Int64(chunk.readableBytes)
                chunkIndex += 1
                if batch.readableBytes >= 16 * ChunkCipher.sealedChunkSize { try await writeBatch() }
            }

            var failure: (any Error)?
            do {
                for try await var buffer in body {
                    while buffer.readableBytes > 0 {
                        let room = ChunkCipher.plainChunkSize - pending.readableBytes
                        var slice = buffer.readSlice(length: min(room, buffer.readableBytes))!
                        pending.writeBuffer(&slice)
                        if pending.readableBytes == ChunkCipher.plainChunkSize {
                            try await flush(pending)
                            pending.clear()
                        }
                    }
                }
            } catch {
                failure = error
            }
            // Keep what arrived, even if the stream failed: the upload resumes after it. A client that
            // went away may have cancelled this task, and a cancelled task's file writes are refused,
            // so the last writes run in a task of their own.
            if pending.readableBytes > 0 {
                var sealed = try cipher.seal(pending, index: chunkIndex)
                batch.writeBuffer(&sealed)
                written += Int64(pending.readableBytes)
            }
            let (last, lastOffset) = (batch, batchOffset)
            try await Task {
                if last.readableBytes > 0 { try await handle.write(contentsOf: last, toAbsoluteOffset: lastOffset) }
                if sync { try await handle.synchronize() }
            }.value
            if let failure { throw failure }
            return written
        }
    }

    public func read(
        _ id: PacketID, key: ContentKey, range: Range<Int64>, consume: (ByteBuffer) async throws -> Void
    ) async throws {
        guard !range.isEmpty else { return }
        let cipher = ChunkCipher(key: key.key, packet: id)
        let chunk = Int64(ChunkCipher.plainChunkSize)
        let handle: ReadFileHandle
        do {
            handle = try await fileSystem.openFile(forReadingAt: FilePath(path(of: id)))
        } catch let error as FileSystemError where error.code == .notFound {
            throw LGSPError(.contentPurged, "the content of packet \(id) is no longer stored")
        }
        do {
            let sealedSize = Int64(ChunkCipher.sealedChunkSize)
            var index = range.lowerBound / chunk
            let lastIndex = (range.upperBound - 1) / chunk
            while index <= lastIndex {
                // Up to 16 chunks (~1 MiB) per file-system call.
                let count = min(16, lastIndex - index + 1)
                var sealedBatch = try await handle.readChunk(fromAbsoluteOffset: index * sealedSize, length: .bytes(count * sealedSize))
                for _ in 0..<count {
                    guard let sealed = sealedBatch.readSlice(length: min(Int(sealedSize), sealedBatch.readableBytes)), sealed.readableBytes > 0 else {
                        throw LGSPError(.storageFailure, "stored content of packet \(id) is shorter than \(range.upperBound) bytes")
                    }
                    var plain = try cipher.open(sealed, index: index)
                    let chunkStart = index * chunk
                    let from = max(range.lowerBound, chunkStart) - chunkStart
                    let to = min(range.upperBound, chunkStart + Int64(plain.readableBytes)) - chunkStart
                    guard to > from else {
                        throw LGSPError(.storageFailure, "stored content of packet \(id) is shorter than \(range.upperBound) bytes")
                    }
                    plain.moveReaderIndex(forwardBy: Int(from))
                    try await consume(plain.readSlice(length: Int(to - from))!)
                    index += 1
                }
            }
            try await handle.close()
        } catch {
            try? await handle.close()
            throw error
        }
    }

    public func delete(_ id: PacketID) async throws {
        do {
            try await fileSystem.removeItem(at: FilePath(path(of: id)), strategy: .platformDefault, recursively: false)
        } catch let error as FileSystemError where error.code == .notFound {
            return
        }
    }

    /// The plaintext length of the whole, authentic chunks of a file, and the plaintext of a partial last chunk.
    private func validLength(handle: some ReadableFileHandleProtocol, cipher: ChunkCipher) async throws -> (plain: Int64, tail: ByteBuffer?) {
        let size = try await handle.info().size
        guard size > 0 else { return (0, nil) }
        let sealedChunk = Int64(ChunkCipher.sealedChunkSize)
        var lastIndex = (size - 1) / sealedChunk
        while lastIndex >= 0 {
            let start = lastIndex * sealedChunk
            let sealed = try await handle.readChunk(fromAbsoluteOffset: start, length: .bytes(min(sealedChunk, size - start)))
            if let plain = try? cipher.open(sealed, index: lastIndex) {
                let total = lastIndex * Int64(ChunkCipher.plainChunkSize) + Int64(plain.readableBytes)
                return (total, plain.readableBytes < ChunkCipher.plainChunkSize ? plain : nil)
            }
            // A torn or damaged last chunk: ignore it and look at the one before.
            lastIndex -= 1
        }
        return (0, nil)
    }
}
