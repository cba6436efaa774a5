import Foundation
import NIOCore

extension Exchange {
    /// Article 8 step 4: offers the due deliveries of a packet whose content is stored and verified
    /// (each `uploaded`, its not-before time passed): they become `ready`, then `notified`.
    ///
    /// A delivery whose app accepts another format than the one the packet's data type arrives in
    /// (`PayloadConverter.target`) is converted first: the converted bytes are stored encrypted with
    /// the packet's key under a blob id of their own, and the delivery is offered with their size,
    /// digest and media type (one conversion per format, shared by the deliveries that want it). A
    /// failed conversion ends that delivery `transform_failed` with the error as its reason, told to
    /// the source; the other deliveries go on, and the packet's own content is never changed.
    ///
    /// All the changes are applied at once; if another node moved one of the deliveries first,
    /// nothing is applied, the stored variants are deleted and 0 is returned. Storage failures
    /// throw (the deliveries stay `uploaded` and the maintenance sweep tries again). Returns how
    /// many deliveries moved.
    func offer(_ due: [Delivery], of record: PacketRecord) async throws -> Int {
        let packet = record.packet
        guard !due.isEmpty, conversionLocks.tryAcquire(packet.id) else { return 0 }
        defer { conversionLocks.release(packet.id) }
        var targets: [String: Result<ContentFormat?, LGSPError>] = [:]
        if converter.converts(packet.dataType) {
            for delivery in due { targets[delivery.appID] = try await target(for: delivery, of: packet) }
        }
        let formats = Set(targets.values.compactMap { try? $0.get() })
        var variants: [ContentFormat: Result<ContentVariant, LGSPError>] = [:]
        if !formats.isEmpty {
            let key = try contentKey(of: record)
            let source = try await contentForConversion(of: packet, key: key)
            do {
                for format in formats.sorted() {
                    variants[format] = try await variant(of: packet, content: source, format: format, key: key)
                }
            } catch {
                for case .success(let variant) in variants.values { try? await blobs.delete(variant.blob) }
                throw error
            }
        }
        var plan = TransitionPlan(packet: packet, at: clock.now())
        for var delivery in due {
            let outcome: Result<ContentVariant?, LGSPError>
            switch targets[delivery.appID] ?? .success(nil) {
            case .success(nil): outcome = .success(nil)
            case .success(let format?): outcome = variants[format]!.map { $0 }
            case .failure(let error): outcome = .failure(error)
            }
            switch outcome {
            case .success(let variant):
                try plan.add(.due, to: &delivery, variant: variant)
            case .failure(let error):
                logger.notice("conversion failed", metadata: ["packet": "\(packet.id)", "app": "\(delivery.appID)", "code": "\(error.code.rawValue)"])
                try plan.add(.transformFailed(reason: Self.reason(error)), to: &delivery)
            }
        }
        let stored = variants.values.compactMap { try? $0.get().blob }
        do {
            try await apply(plan.changes, packetUpdate: nil, events: plan.events)
        } catch let error as LGSPError where [.invalidTransition, .deliveryFinal, .unknownPacket].contains(error.code) {
            for blob in stored { try? await blobs.delete(blob) }
            return 0
        } catch {
            for blob in stored { try? await blobs.delete(blob) }
            throw error
        }
        if plan.reachedFinal { try await finishIfComplete(packet.id) }
        return due.count
    }

    /// Offers the deliveries of `packetID` among `due` that are still `uploaded` (the maintenance sweep).
    func offerIfStill(_ due: [Delivery], of packetID: PacketID) async throws -> Int {
        guard let record = try await packets.record(packetID) else { return 0 }
        let apps = Set(due.map(\.appID))
        return try await offer(record.deliveries.filter { $0.state == .uploaded && apps.contains($0.appID) }, of: record)
    }

    /// The format the delivery's app needs, nil for the content as sent, or why none fits.
    private func target(for delivery: Delivery, of packet: Packet) async throws -> Result<ContentFormat?, LGSPError> {
        let accepts = try await directory.app(id: delivery.appID)?.accepts ?? []
        do throws(LGSPError) {
            return .success(try converter.target(for: packet.dataType, accepts: accepts))
        } catch {
            return .failure(error)
        }
    }

    /// The packet's content in memory, or `transform.limit_exceeded` beyond `maxTransformSize`.
    private func contentForConversion(of packet: Packet, key: ContentKey) async throws -> Result<Data, LGSPError> {
        let limit = configuration.maxTransformSize
        guard packet.content.size <= limit else {
            return .failure(
                LGSPError(.contentLimitExceeded, "the content has \(packet.content.size) bytes; the hub converts content of at most \(limit) bytes (transform.maxContentBytes)",
                    details: ["limit": "\(limit)"]))
        }
        var data = Data(capacity: Int(packet.content.size))
        try await blobs.read(packet.id, key: key, range: 0..<packet.content.size) { buffer in
            data.append(contentsOf: buffer.readableBytesView)
        }
        return .success(data)
    }

    /// Converts the content to `format` and stores the result under a new blob id; conversion errors
    /// are returned, storage errors thrown.
    private func variant(
        of packet: Packet, content: Result<Data, LGSPError>, format: ContentFormat, key: ContentKey
    ) async throws -> Result<ContentVariant, LGSPError> {
        let converted: ConvertedPayload
        do throws(LGSPError) {
            converted = try await converter.convert(try content.get(), dataType: packet.dataType, to: format)
        } catch {
            return .failure(error)
        }
        let blob = PacketID.generate(at: clock.now())
        let body = AsyncStream<ByteBuffer> { continuation in
            continuation.yield(ByteBuffer(bytes: converted.data))
            continuation.finish()
        }
        let length = try await blobs.append(to: blob, key: key, at: 0, body: body, sync: configuration.syncContent)
        guard length == Int64(converted.data.count) else {
            try? await blobs.delete(blob)
            throw LGSPError(.storageFailure, "the converted content of packet \(packet.id) was not stored whole")
        }
        let descriptor = ContentDescriptor(size: length, sha256: ContentDigest.of(converted.data), mediaType: converted.mediaType)
        logger.info("content converted", metadata: ["packet": "\(packet.id)", "format": "\(format)", "bytes": "\(length)"])
        return .success(ContentVariant(format: format, content: descriptor, blob: blob))
    }

    /// A delivery's reason for a failed conversion: the error's code and message (which names the
    /// mapping file, line and rule), bounded in length.
    static func reason(_ error: LGSPError) -> String {
        let text = error.description
        return text.count <= 2000 ? text : String(text.prefix(1999)) + "…"
    }
}
