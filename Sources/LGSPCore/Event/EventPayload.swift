import Foundation

/// The JSON bodies of hub events.
enum EventPayload {
    /// `packet.available`: what a destination needs to decide to accept.
    struct Available: Codable {
        var packetId: PacketID
        var from: UnitCode
        var recipient: UnitCode
        var subject: String
        var priority: Priority
        var dataType: DataType
        var size: Int64
        var sha256: ContentDigest
        var mediaType: String
    }

    /// `packet.status`, `delivery.expired`, `delivery.undeliverable`: a delivery's new state.
    struct Status: Codable {
        var packetId: PacketID
        var recipient: UnitCode
        var appId: String
        var state: DeliveryState
        var reason: String?
        var at: Date
        /// For `delivery.undeliverable` because the destination stayed offline: when it was last seen.
        var lastSeen: Date?
    }

    static func encode(_ value: some Encodable) -> Data {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys]
        // Encoding these plain value types cannot fail.
        return (try? encoder.encode(value)) ?? Data("{}".utf8)
    }
}
