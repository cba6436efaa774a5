import Crypto
import Foundation
import LGSPCore
import Logging

/// Writes the deliveries waiting for an app into its `outbox/` and acknowledges those the app took.
///
/// Each delivery is accepted, its content read from the blob store and written to
/// `outbox/PACKETID.EXT.part`, checked against its SHA-256, fsynced and renamed; then a marker is
/// written in the hub's state folder; then `outbox/PACKETID.manifest.json` (`.part`, fsync,
/// rename). When the app has moved both files to `done/` or deleted them (the manifest last), the
/// hub acknowledges with the digest it wrote and removes the marker. `FileDropOutboxStep` says what
/// to do after a crash at any of these points.
struct FileDropDelivery {
    let exchange: Exchange
    let logger: Logger

    struct Outcome: Sendable, Hashable {
        var written = 0
        var acknowledged = 0
    }

    func run(_ folder: FileDropFolder, caller: Caller) async throws -> Outcome {
        var outcome = Outcome()
        let offered = try await exchange.inbox(for: caller, limit: 200)
        var entries: [PacketID: InboxEntry] = [:]
        for entry in offered { entries[entry.packet.id] = entry }
        let markers = try folder.written.names().filter { !$0.hasSuffix(FileDropNames.partSuffix) }.compactMap(PacketID.init)
        var order = offered.map(\.packet.id)
        order += markers.filter { entries[$0] == nil }.sorted()
        for id in order {
            if Task.isCancelled { break }
            let marker = try readMarker(id, folder: folder)
            let manifestName = FileDropNames.outboxManifest(id)
            let seen = FileDropOutboxStep.Observation(
                offered: entries[id] != nil, marker: marker != nil, manifestInOutbox: folder.outbox.exists(manifestName),
                payloadInOutbox: marker.map { folder.outbox.exists($0.file) } ?? false, manifestInDone: folder.done.exists(manifestName))
            do {
                switch FileDropOutboxStep.decide(seen) {
                case .write:
                    if let entry = entries[id] {
                        try await write(entry, folder: folder, caller: caller)
                        outcome.written += 1
                    }
                case .finishManifest:
                    if let marker { try folder.outbox.writeAtomically(manifestName, marker.encoded()) }
                case .acknowledge:
                    if let marker, try await acknowledge(id, marker: marker, caller: caller) {
                        try folder.written.remove(id.rawValue)
                        folder.written.sync()
                        outcome.acknowledged += 1
                    }
                case .wait, .none:
                    break
                }
            } catch {
                logger.warning("file-drop delivery deferred", metadata: ["app": "\(folder.accessKey)", "packet": "\(id)", "error": "\(error)"])
            }
        }
        return outcome
    }

    private func readMarker(_ id: PacketID, folder: FileDropFolder) throws -> FileDropDeliveryManifest? {
        guard folder.written.exists(id.rawValue) else { return nil }
        let bytes = try folder.written.openForReading(id.rawValue).readAll(limit: 1 << 20) ?? []
        return try? APIDates.decoder.decode(FileDropDeliveryManifest.self, from: Data(bytes))
    }

    /// Accepts, downloads (digest checked) and writes one delivery, then its marker and manifest.
    private func write(_ entry: InboxEntry, folder: FileDropFolder, caller: Caller) async throws {
        let id = entry.packet.id
        let now = Date()
        if entry.delivery.state != .accepted || (entry.delivery.downloadExpiresAt.map { $0 <= now.addingTimeInterval(60) } ?? false) {
            _ = try await exchange.accept(id, by: caller)
        }
        let grant = try await exchange.openDownload(id, by: caller)
        let manifest = FileDropDeliveryManifest(packet: grant.packet, content: grant.content)
        let part = manifest.file + FileDropNames.partSuffix
        let writer = try folder.outbox.createForWriting(part)
        var hasher = SHA256()
        var count: Int64 = 0
        do {
            try await exchange.blobs.read(grant.blob, key: grant.key, range: 0..<grant.content.size) { buffer in
                try buffer.withUnsafeReadableBytes { raw in
                    hasher.update(bufferPointer: raw)
                    if raw.count > 0 { try writer.write(raw) }
                }
                count += Int64(buffer.readableBytes)
            }
            try writer.finish()
            guard count == grant.content.size, ContentDigest(hasher.finalize()) == grant.content.sha256 else {
                throw LGSPError(.storageFailure, "the content of packet \(id) read back with another size or SHA-256 than recorded")
            }
        } catch {
            try? folder.outbox.remove(part)
            throw error
        }
        try folder.outbox.rename(part, to: folder.outbox, as: manifest.file)
        folder.outbox.sync()
        try folder.written.writeAtomically(id.rawValue, manifest.encoded())
        try folder.outbox.writeAtomically(FileDropNames.outboxManifest(id), manifest.encoded())
        logger.info("file-drop delivery written", metadata: ["app": "\(folder.accessKey)", "packet": "\(id)", "file": "\(manifest.file)"])
    }

    /// Acknowledges with the digest written; true when the marker can go (acknowledged now or before).
    private func acknowledge(_ id: PacketID, marker: FileDropDeliveryManifest, caller: Caller) async throws -> Bool {
        let digest = try ContentDigest(hex: marker.sha256)
        do {
            _ = try await exchange.acknowledge(id, sha256: digest, by: caller)
        } catch let error as LGSPError where [.deliveryFinal, .unknownPacket, .notRecipient].contains(error.code) {
            // Acknowledged before a crash, or the delivery ended otherwise (expired, rejected): nothing left to confirm.
        } catch let error as LGSPError where [.invalidTransition, .notAccepted].contains(error.code) {
            // The download space was renewed or reset meanwhile: accept again, then confirm.
            _ = try await exchange.accept(id, by: caller)
            _ = try await exchange.acknowledge(id, sha256: digest, by: caller)
        }
        logger.info("file-drop delivery acknowledged", metadata: ["app": "\(caller.app.accessKey)", "packet": "\(id)"])
        return true
    }
}

/// Dates as the delivery manifests write them (ISO 8601 with milliseconds).
enum APIDates {
    static var decoder: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let text = try decoder.singleValueContainer().decode(String.self)
            guard let date = FileDropManifest.parseDate(text) else {
                throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not an ISO 8601 date: \(text)"))
            }
            return date
        }
        return decoder
    }
}
