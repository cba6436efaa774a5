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
///
/// Several nodes may share the folder (an NFS mount with close-to-open consistency): the store keeps
/// no state in memory; content written from its start goes to a temporary file unique to the node
/// and process (`.<id>.<host>.<pid>.<random>.tmp`), is fsynced, then renamed over the packet's file
/// in the same directory (atomic), so readers on any node see the old or the new file whole; a
/// resumed upload appends in place while holding an exclusive lock on the file (`ContentFileLock`,
/// which NFS arbitrates between nodes), so two nodes never write one packet's file at once
/// (`exchange.upload_in_progress`). Every operation opens the file afresh, which is what makes NFS
/// revalidate it (close-to-open), and a writer closes (and, with `sync`, fsyncs) before it answers.
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
        let directory = (filePath as NSString).deletingLastPathComponent
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        // Another node sharing the folder may be writing this packet: its lock on the file says so.
        let lock = try ContentFileLock.acquire(filePath, packet: id)
        defer { withExtendedLifetime(lock) {} }
        guard offset > 0 else { return try await replace(id, at: filePath, cipher: cipher, body: body, sync: sync) }
        let options = OpenOptions.Write(existingFile: .open, newFile: .init(permissions: [.ownerReadWrite]), followSymbolicLinks: false)
        let (written, failure) = try await fileSystem.withFileHandle(forReadingAndWritingAt: FilePath(filePath), options: options) { handle in
            let current = try await validLength(handle: handle, cipher: cipher)
            guard current.plain == offset else {
                throw LGSPError(.uploadOffsetMismatch, "the upload must continue at byte \(current.plain), not \(offset)",
                    details: ["uploadOffset": "\(current.plain)"])
            }
            let chunkIndex = current.plain / Int64(ChunkCipher.plainChunkSize)
            // Re-open a partial last chunk so that new bytes extend it.
            try await handle.resize(to: .bytes(chunkIndex * Int64(ChunkCipher.sealedChunkSize)))
            return try await write(body, to: handle, cipher: cipher, from: chunkIndex, pending: current.tail ?? ByteBuffer(), sync: sync)
        }
        if let failure { throw failure }
        return written
    }

    /// Writes content from its start into a temporary file of this process, then renames it over the
    /// packet's file: on a shared folder every node sees the old file or the new one, never a mix, and
    /// two nodes never write the same temporary file.
    private func replace<Body: AsyncSequence & Sendable>(
        _ id: PacketID, at filePath: String, cipher: ChunkCipher, body: Body, sync: Bool
    ) async throws -> Int64 where Body.Element == ByteBuffer {
        let directory = (filePath as NSString).deletingLastPathComponent
        let temporary = "\(directory)/.\(id.rawValue).\(Self.writerTag).\(UUID().uuidString.prefix(8)).tmp"
        let options = OpenOptions.Write(existingFile: .none, newFile: .init(permissions: [.ownerReadWrite]), followSymbolicLinks: false)
        let written: Int64
        let failure: (any Error)?
        do {
            (written, failure) = try await fileSystem.withFileHandle(forReadingAndWritingAt: FilePath(temporary), options: options) { handle in
                try await write(body, to: handle, cipher: cipher, from: 0, pending: ByteBuffer(), sync: sync)
            }
            // rename(2) in the same directory is atomic, on NFS too (one server operation).
            guard rename(temporary, filePath) == 0 else {
                throw LGSPError(.storageFailure, "cannot rename \(temporary) to \(filePath): \(String(cString: strerror(errno)))")
            }
        } catch {
            unlink(temporary)
            throw error
        }
        if sync { Self.synchronizeDirectory(directory) }
        if let failure { throw failure }
        return written
    }

    /// Seals the body's bytes into chunks from `chunkIndex` (after the plaintext `pending`) and writes them.
    /// Keeps what arrived if the body fails: returns the new length and the body's failure.
    private func write<Body: AsyncSequence & Sendable>(
        _ body: Body, to handle: ReadWriteFileHandle, cipher: ChunkCipher, from chunkIndex: Int64, pending: ByteBuffer, sync: Bool
    ) async throws -> (Int64, (any Error)?) where Body.Element == ByteBuffer {
        var pending = pending
        var chunkIndex = chunkIndex
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
        return (written, failure)
    }

    /// Names this process's temporary files apart from those of every other node and process.
    private static let writerTag: String = {
        let host = ProcessInfo.processInfo.hostName.filter { $0.isLetter || $0.isNumber || $0 == "-" }.prefix(40)
        return "\(host).\(getpid())"
    }()

    /// fsync on the directory, so that a rename survives a crash.
    private static func synchronizeDirectory(_ path: String) {
        let descriptor = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { return }
        _ = fsync(descriptor)
        close(descriptor)
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
        let filePath = path(of: id)
        // Temporary files a crashed writer (on any node) left behind hold content too.
        let directory = (filePath as NSString).deletingLastPathComponent
        let leftover = ".\(id.rawValue)."
        for name in (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [] where name.hasPrefix(leftover) && name.hasSuffix(".tmp") {
            unlink("\(directory)/\(name)")
        }
        do {
            try await fileSystem.removeItem(at: FilePath(filePath), strategy: .platformDefault, recursively: false)
        } catch let error as FileSystemError where error.code == .notFound {
            return
        }
    }

    /// Creates, writes and removes a small file in the folder.
    public func ping() async throws {
        let path = root + "/.readyz-\(UUID().uuidString)"
        guard FileManager.default.createFile(atPath: path, contents: Data("ready\n".utf8)) else {
            throw LGSPError(.storageFailure, "cannot create a file in \(root): \(String(cString: strerror(errno)))")
        }
        try FileManager.default.removeItem(atPath: path)
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
