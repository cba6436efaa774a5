import Foundation
import LGSPCore

/// The manifest the hub writes beside a delivery in `outbox/` (`PACKETID.manifest.json`), after the
/// payload (`PACKETID.EXT`, named in `file`), so an app that sees it can read the payload whole.
public struct FileDropDeliveryManifest: Sendable, Hashable, Codable {
    public var packetId: String
    /// The payload's name in `outbox/`.
    public var file: String
    /// The source unit.
    public var from: String
    public var subject: String
    public var priority: Priority
    public var dataType: String
    /// SHA-256 (hex) of the payload as written (the converted content's for a converted delivery).
    public var sha256: String
    public var size: Int64
    public var mediaType: String
    public var createdAt: Date

    public init(packet: Packet, content: ContentDescriptor) {
        packetId = packet.id.rawValue
        file = FileDropNames.outboxPayload(packet.id, mediaType: content.mediaType)
        from = packet.sourceUnit.description
        subject = packet.subject
        priority = packet.priority
        dataType = packet.dataType.rawValue
        sha256 = content.sha256.hex
        size = content.size
        mediaType = content.mediaType
        createdAt = packet.createdAt
    }

    /// Indented JSON with sorted keys and millisecond UTC dates (the REST API's form), ending in a newline.
    public func encoded() -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            let formatter = ISO8601DateFormatter()
            formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
            try container.encode(formatter.string(from: date))
        }
        // Encoding a struct of strings, numbers and dates cannot fail.
        return ((try? encoder.encode(self)) ?? Data("{}".utf8)) + Data("\n".utf8)
    }
}

/// The receipt the hub writes into `sent/` (`NAME.receipt.json`) once a dropped file is sent.
public struct FileDropReceipt: Sendable, Hashable, Codable {
    public var packetId: String
    /// The name the file had in `inbox/`.
    public var file: String
    /// Its name in `sent/` (the same unless an earlier file of that name is still there).
    public var sentAs: String
    public var sha256: String
    public var size: Int64
    public var idempotencyKey: String

    public init(packetId: String, file: String, sentAs: String, sha256: String, size: Int64, idempotencyKey: String) {
        self.packetId = packetId
        self.file = file
        self.sentAs = sentAs
        self.sha256 = sha256
        self.size = size
        self.idempotencyKey = idempotencyKey
    }

    public func encoded() -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return ((try? encoder.encode(self)) ?? Data("{}".utf8)) + Data("\n".utf8)
    }

    public static func decode(_ data: Data) -> FileDropReceipt? { try? JSONDecoder().decode(FileDropReceipt.self, from: data) }
}
