import Crypto
import NIOCore

import Foundation

/// How far an upload has come.
public struct UploadProgress: Sendable, Hashable {
    public var packet: Packet
    /// Bytes stored so far (the offset to resume from).
    public var receivedBytes: Int64
    /// True once the whole content is stored and verified.
    public var complete: Bool
}

extension Exchange {
    /// Article 8 step 3: stores content uploaded into the packet's space.
    ///
    /// `offset` nil means "the whole content": any partial upload is discarded and writing starts at
    /// 0. A given `offset` must equal the bytes already stored (`exchange.upload_offset_mismatch`
    /// otherwise, with `uploadOffset` in the details). Bytes beyond the declared size are refused
    /// (`exchange.size_mismatch`). When the last byte arrives the SHA-256 is checked; on a mismatch
    /// the stored bytes are discarded (`exchange.digest_mismatch`) so the source can upload again.
    /// On success the deliveries become `uploaded`, then `ready` and `notified` unless a not-before
    /// time holds them back.
    public func upload<Body: AsyncSequence & Sendable>(
        _ id: PacketID, by caller: Caller, offset: Int64?, body: Body
    ) async throws -> UploadProgress where Body.Element == ByteBuffer {
        try await upload(try await record(id), by: caller, offset: offset, body: body)
    }

    /// `upload(_:by:offset:body:)` for a packet record the caller already read (to authenticate against it).
    public func upload<Body: AsyncSequence & Sendable>(
        _ record: PacketRecord, by caller: Caller, offset: Int64?, body: Body
    ) async throws -> UploadProgress where Body.Element == ByteBuffer {
        let packet = record.packet
        let id = packet.id
        guard packet.sourceAppID == caller.app.id else {
            throw LGSPError(.notSource, "only the app that sent packet \(id) may upload its content")
        }
        let now = clock.now()
        guard packet.state == .awaitingUpload else {
            if packet.uploadedAt == nil {
                throw LGSPError(.uploadExpired, "the upload space of packet \(id) closed at \(packet.uploadExpiresAt.iso8601); send the packet again")
            }
            throw LGSPError(.uploadComplete, "the content of packet \(id) is already uploaded and verified")
        }
        guard now < packet.uploadExpiresAt else {
            throw LGSPError(.uploadExpired, "the upload space of packet \(id) closed at \(packet.uploadExpiresAt.iso8601); send the packet again")
        }
        try uploadLocks.acquire(id)
        defer { uploadLocks.release(id) }

        let key = try contentKey(of: record)
        let start: Int64
        if let offset {
            let stored = try await blobs.length(of: id, key: key)
            guard offset == stored else {
                throw LGSPError(.uploadOffsetMismatch, "the upload must continue at byte \(stored), not \(offset)",
                    details: ["uploadOffset": "\(stored)"])
            }
            start = offset
        } else {
            start = 0
        }
        let meter = UploadMeter(hashing: start == 0)
        let verifying = VerifyingBody(base: body, limit: packet.content.size - start, meter: meter)
        let length = try await blobs.append(to: id, key: key, at: start, body: verifying, sync: configuration.syncContent)
        guard length == packet.content.size else {
            return UploadProgress(packet: packet, receivedBytes: length, complete: false)
        }
        let digest: ContentDigest
        if let streamed = meter.finalize() {
            digest = streamed
        } else {
            digest = try await storedDigest(of: id, key: key, size: length)
        }
        guard digest == packet.content.sha256 else {
            try await blobs.delete(id)
            throw LGSPError(.digestMismatch, "the uploaded content has SHA-256 \(digest.hex) but the packet declared \(packet.content.sha256.hex); the stored bytes were discarded, upload again from the start",
                field: "content.sha256", details: ["actualSha256": digest.hex])
        }
        return UploadProgress(packet: try await markUploaded(record), receivedBytes: length, complete: true)
    }

    /// The bytes already stored for a packet (for `HEAD` on the upload space).
    public func uploadOffset(_ id: PacketID, by caller: Caller) async throws -> (packet: Packet, offset: Int64) {
        let record = try await record(id)
        let packet = record.packet
        guard packet.sourceAppID == caller.app.id else {
            throw LGSPError(.notSource, "only the app that sent packet \(id) may see its upload")
        }
        if packet.state != .awaitingUpload { return (packet, packet.uploadedAt == nil ? 0 : packet.content.size) }
        return (packet, try await blobs.length(of: id, key: try contentKey(of: record)))
    }

    private func storedDigest(of id: PacketID, key: ContentKey, size: Int64) async throws -> ContentDigest {
        var hasher = SHA256()
        try await blobs.read(id, key: key, range: 0..<size) { buffer in
            buffer.withUnsafeReadableBytes { hasher.update(bufferPointer: $0) }
        }
        return ContentDigest(hasher.finalize())
    }

    /// Records the verified upload: packet in transit, deliveries uploaded, and due ones ready and
    /// notified. When the data type has conversions, the due deliveries are offered through `offer`
    /// (converted first where their app wants another format); if that fails on storage, they stay
    /// `uploaded` and the maintenance sweep offers them.
    private func markUploaded(_ record: PacketRecord) async throws -> Packet {
        let packet = record.packet
        let now = clock.now()
        var plan = TransitionPlan(packet: packet, at: now)
        let due = packet.policy.notBefore.map { $0 <= now } ?? true
        let converts = converter.converts(packet.dataType)
        var toOffer: [Delivery] = []
        // The upload lock and the packet's awaiting_upload state mean no delivery moved since the read;
        // if one did anyway, the compare-and-set refuses the whole change.
        for var delivery in record.deliveries where delivery.state == .created {
            try plan.add(.contentStored, to: &delivery)
            if due && converts {
                toOffer.append(delivery)
            } else if due {
                try plan.add(.due, to: &delivery)
            }
        }
        try await apply(plan.changes, packetUpdate: PacketUpdate(id: packet.id, state: .inTransit, uploadedAt: now), events: plan.events)
        logger.info("packet uploaded", metadata: ["packet": "\(packet.id)", "bytes": "\(packet.content.size)"])
        var updated = packet
        updated.state = .inTransit
        updated.uploadedAt = now
        if !toOffer.isEmpty {
            do {
                _ = try await offer(toOffer, of: PacketRecord(packet: updated, deliveries: toOffer, sealedContentKey: record.sealedContentKey))
            } catch {
                logger.warning("offering the packet's deliveries failed; the maintenance sweep retries", metadata: ["packet": "\(packet.id)", "error": "\(error)"])
            }
        }
        return updated
    }
}
