import Crypto
import Foundation
import LGSPCore
import Logging
import NIOCore

/// Sends the files an app dropped into its `inbox/`: each ready file becomes one packet, then moves
/// to `sent/` with a receipt; a refused file moves to `error/` with a `.error.txt`; a transient
/// failure (storage) leaves it for the next scan.
///
/// No duplicates across a crash: the send carries an idempotency key derived from the file
/// (`FileDropNames.idempotencyKey`), so a pickup repeated after a crash gets the packet the first
/// attempt created (and uploads it again only if that upload did not finish). No lost files: a
/// file leaves `inbox/` only after its packet's content is stored and verified, and the moves are
/// recorded first in a journal (`.lgsp/<key>/picked/`) that the next scan completes.
struct FileDropPickup {
    let exchange: Exchange
    let configuration: FileDropConfiguration
    let logger: Logger

    /// What one scan of an inbox did.
    struct Outcome: Sendable, Hashable {
        var sent = 0
        var refused = 0
        var deferred = 0
    }

    func run(_ folder: FileDropFolder, caller: Caller) async throws -> Outcome {
        try completeJournal(folder)
        var outcome = Outcome()
        let names = try folder.inbox.names()
        var manifests = Set<String>()
        var markers = Set<String>()
        for name in names {
            switch FileDropNames.role(of: name) {
            case .manifest(let payload): manifests.insert(payload)
            case .done(let payload): markers.insert(payload)
            case .payload, .ignored: break
            }
        }
        let present = Set(names)
        for payload in manifests.union(markers).sorted() where present.contains(payload) && !payload.hasSuffix(FileDropNames.partSuffix) {
            if Task.isCancelled { break }
            let result = await pickUp(payload, hasManifest: manifests.contains(payload), hasMarker: markers.contains(payload), folder: folder, caller: caller)
            switch result {
            case .sent: outcome.sent += 1
            case .refused: outcome.refused += 1
            case .deferred: outcome.deferred += 1
            case .waiting: break
            }
        }
        return outcome
    }

    enum Result { case sent, refused, deferred, waiting }

    /// Refusals carry the error to write; anything else thrown is transient.
    private struct Refusal: Error { var error: LGSPError }

    private func pickUp(_ name: String, hasManifest: Bool, hasMarker: Bool, folder: FileDropFolder, caller: Caller) async -> Result {
        let manifestName = name + FileDropNames.manifestSuffix
        do {
            return try await send(name, manifestName: manifestName, hasManifest: hasManifest, hasMarker: hasMarker, folder: folder, caller: caller)
        } catch let refusal as Refusal {
            do {
                try refuse(name, because: refusal.error, folder: folder)
                logger.notice("file-drop file refused", metadata: ["app": "\(folder.accessKey)", "file": "\(name)", "code": "\(refusal.error.code.rawValue)"])
                return .refused
            } catch {
                logger.error("file-drop refusal could not be recorded", metadata: ["app": "\(folder.accessKey)", "file": "\(name)", "error": "\(error)"])
                return .deferred
            }
        } catch {
            logger.warning("file-drop pickup deferred", metadata: ["app": "\(folder.accessKey)", "file": "\(name)", "error": "\(error)"])
            return .deferred
        }
    }

    private func send(
        _ name: String, manifestName: String, hasManifest: Bool, hasMarker: Bool, folder: FileDropFolder, caller: Caller
    ) async throws -> Result {
        if let problem = FileDropNames.unsafety(of: name) {
            throw Refusal(error: LGSPError(.unsafeFile, "\(problem); rename the file"))
        }
        guard let status = folder.inbox.status(name) else { return .waiting }
        guard status.kind == .regular else { throw Refusal(error: LGSPError(.unsafeFile, "\(name) is \(Self.describe(status.kind)), not a regular file; the hub never follows links")) }
        guard hasManifest else {
            throw Refusal(error: LGSPError(.missingField, "\(name)\(FileDropNames.doneSuffix) marks the file complete but \(manifestName) is missing", field: manifestName))
        }
        guard let manifestStatus = folder.inbox.status(manifestName) else { return .waiting }
        guard manifestStatus.kind == .regular else {
            throw Refusal(error: LGSPError(.unsafeFile, "\(manifestName) is \(Self.describe(manifestStatus.kind)), not a regular file"))
        }
        guard status.size <= configuration.maxFileBytes else {
            throw Refusal(error: LGSPError(.contentTooLarge, "\(name) has \(status.size) bytes; file-drop takes at most \(configuration.maxFileBytes) (fileDrop.maxFileBytes)",
                details: ["limit": "\(configuration.maxFileBytes)"]))
        }
        let manifest: FileDropManifest
        do {
            let reader = try folder.inbox.openForReading(manifestName)
            guard let bytes = try reader.readAll(limit: FileDropManifest.maxBytes) else {
                throw LGSPError(.bodyTooLarge, "\(manifestName) is larger than \(FileDropManifest.maxBytes) bytes")
            }
            manifest = try FileDropManifest.decode(Data(bytes))
        } catch let error as LGSPError where error.code.side == .client {
            // A writer may still be writing the manifest in place: give it time unless a marker says it is done.
            if !hasMarker, Date().timeIntervalSince(manifestStatus.modified) < configuration.settleInterval { return .waiting }
            throw Refusal(error: LGSPError(error.code, "\(manifestName): \(error.message)", field: error.field, details: error.details))
        }
        let reader = try folder.inbox.openForReading(name)
        guard reader.status.inode == status.inode, reader.status.device == status.device else { return .waiting }
        let (size, digest) = try Self.measure(reader)
        guard size == reader.status.size else { return .deferred }
        let key = FileDropNames.idempotencyKey(
            accessKey: folder.accessKey, name: name, size: size, modifiedNanoseconds: reader.status.modifiedNanoseconds, sha256: digest)
        let request = manifest.sendRequest(size: size, sha256: digest, idempotencyKey: key)
        let receipt: SendReceipt
        do {
            receipt = try await exchange.send(request, by: caller)
        } catch let error as LGSPError where error.code.side == .client {
            throw Refusal(error: error)
        }
        if receipt.packet.state == .awaitingUpload {
            do {
                let progress = try await exchange.upload(receipt.packet.id, by: caller, offset: nil, body: FileChunks(reader: reader, size: size))
                guard progress.complete else { return .deferred }
            } catch let error as LGSPError where error.code == .uploadComplete {
                // The first attempt finished the upload just before a crash.
            } catch let error as LGSPError where [.digestMismatch, .sizeMismatch, .uploadInProgress].contains(error.code) {
                // The file changed while it was read: the next scan sees the new file (and a new key).
                return .deferred
            } catch let error as LGSPError where error.code.side == .client {
                throw Refusal(error: error)
            }
        }
        let entry = FileDropReceipt(
            packetId: receipt.packet.id.rawValue, file: name, sentAs: name, sha256: digest.hex, size: size, idempotencyKey: key)
        try finish(entry, payload: reader.status, manifest: manifestStatus, folder: folder)
        logger.info("file-drop file sent", metadata: ["app": "\(folder.accessKey)", "file": "\(name)", "packet": "\(receipt.packet.id)", "replayed": "\(receipt.replayed)"])
        return .sent
    }

    // MARK: Moving files out of inbox/

    /// A journal entry: the receipt plus the identity of the two files to move.
    struct JournalEntry: Codable {
        var receipt: FileDropReceipt
        var payloadInode: UInt64
        var payloadModified: Int64
        var manifestInode: UInt64
        var manifestModified: Int64
    }

    private func finish(_ receipt: FileDropReceipt, payload: FileStatus, manifest: FileStatus, folder: FileDropFolder) throws {
        var receipt = receipt
        receipt.sentAs = FileDropNames.free(receipt.file, isTaken: folder.sent.exists,
            companions: [FileDropNames.manifestSuffix, FileDropNames.receiptSuffix])
        let entry = JournalEntry(
            receipt: receipt, payloadInode: payload.inode, payloadModified: payload.modifiedNanoseconds, manifestInode: manifest.inode,
            manifestModified: manifest.modifiedNanoseconds)
        try folder.picked.writeAtomically(receipt.packetId, try JSONEncoder().encode(entry))
        try complete(entry, folder: folder)
    }

    /// Finishes the moves of every journal entry left by a crash.
    private func completeJournal(_ folder: FileDropFolder) throws {
        for name in try folder.picked.names() where !name.hasSuffix(FileDropNames.partSuffix) {
            let reader = try folder.picked.openForReading(name)
            guard let bytes = try reader.readAll(limit: 1 << 20), let entry = try? JSONDecoder().decode(JournalEntry.self, from: Data(bytes)) else {
                try folder.picked.remove(name)
                continue
            }
            try complete(entry, folder: folder)
        }
    }

    /// Moves the payload, then its manifest, into `sent/` (only the very files that were sent: same
    /// inode and modification time), drops the `.done` marker, writes the receipt, clears the entry.
    private func complete(_ entry: JournalEntry, folder: FileDropFolder) throws {
        let receipt = entry.receipt
        let name = receipt.file
        let manifestName = name + FileDropNames.manifestSuffix
        if let status = folder.inbox.status(name), status.inode == entry.payloadInode, status.modifiedNanoseconds == entry.payloadModified {
            try folder.inbox.rename(name, to: folder.sent, as: receipt.sentAs)
        }
        if let status = folder.inbox.status(manifestName), status.inode == entry.manifestInode, status.modifiedNanoseconds == entry.manifestModified {
            try folder.inbox.rename(manifestName, to: folder.sent, as: receipt.sentAs + FileDropNames.manifestSuffix)
        }
        if !folder.inbox.exists(name) { try folder.inbox.remove(name + FileDropNames.doneSuffix) }
        folder.sent.sync()
        folder.inbox.sync()
        try folder.sent.writeAtomically(receipt.sentAs + FileDropNames.receiptSuffix, receipt.encoded())
        try folder.picked.remove(receipt.packetId)
        folder.picked.sync()
    }

    /// Moves a refused file (and its manifest and marker) into `error/` beside a `.error.txt`.
    private func refuse(_ name: String, because error: LGSPError, folder: FileDropFolder) throws {
        let base = FileDropNames.free(Self.displayName(name), isTaken: folder.error.exists,
            companions: [FileDropNames.manifestSuffix, FileDropNames.errorSuffix])
        let manifestName = name + FileDropNames.manifestSuffix
        if folder.inbox.exists(name) { try folder.inbox.rename(name, to: folder.error, as: base) }
        if folder.inbox.exists(manifestName) { try folder.inbox.rename(manifestName, to: folder.error, as: base + FileDropNames.manifestSuffix) }
        try folder.inbox.remove(name + FileDropNames.doneSuffix)
        folder.inbox.sync()
        var text = "\(error.code.rawValue): \(error.message)\n"
        text += "file: \(Self.displayName(name))\n"
        if let field = error.field { text += "field: \(field)\n" }
        for (key, value) in error.details.sorted(by: { $0.key < $1.key }) { text += "\(key): \(value)\n" }
        text += "at: \(Date().iso8601)\n"
        try folder.error.writeAtomically(base + FileDropNames.errorSuffix, Data(text.utf8))
    }

    /// The name with control characters and a leading dot made visible (`_`), for `error/`.
    static func displayName(_ name: String) -> String {
        var scalars = String.UnicodeScalarView()
        for scalar in name.unicodeScalars {
            scalars.append(scalar.value < 0x20 || scalar.value == 0x7F || (0x80...0x9F).contains(scalar.value) || scalar == "/" ? "_" : scalar)
        }
        var text = String(scalars)
        if text.hasPrefix(".") { text = "_" + text.dropFirst() }
        return text.isEmpty ? "_" : text
    }

    static func describe(_ kind: FileStatus.Kind) -> String {
        switch kind {
        case .regular: "a regular file"
        case .directory: "a folder"
        case .symbolicLink: "a symbolic link"
        case .other: "a device, FIFO or socket"
        }
    }

    /// Size and SHA-256 of an open file.
    static func measure(_ reader: FileReader) throws -> (Int64, ContentDigest) {
        var hasher = SHA256()
        var offset: Int64 = 0
        while true {
            let chunk = try reader.read(at: offset, count: 256 * 1024)
            if chunk.isEmpty { break }
            hasher.update(data: chunk)
            offset += Int64(chunk.count)
        }
        return (offset, ContentDigest(hasher.finalize()))
    }
}

/// The bytes of an open file, in chunks, as an upload body.
struct FileChunks: AsyncSequence, Sendable {
    typealias Element = ByteBuffer
    let reader: FileReader
    let size: Int64

    struct AsyncIterator: AsyncIteratorProtocol {
        let reader: FileReader
        let size: Int64
        var offset: Int64 = 0

        mutating func next() async throws -> ByteBuffer? {
            guard offset < size else { return nil }
            let chunk = try reader.read(at: offset, count: Int(Swift.min(256 * 1024, size - offset)))
            if chunk.isEmpty { return nil }
            offset += Int64(chunk.count)
            return ByteBuffer(bytes: chunk)
        }
    }

    func makeAsyncIterator() -> AsyncIterator { AsyncIterator(reader: reader, size: size) }
}
