import Foundation

/// The JSON bodies of hub events, as streams and webhooks carry them.
public enum EventPayload {
    /// `packet.available`: what a destination needs to decide to accept.
    public struct Available: Codable, Sendable, Hashable {
        public var packetId: PacketID
        public var from: UnitCode
        public var recipient: UnitCode
        public var subject: String
        public var priority: Priority
        public var dataType: DataType
        public var size: Int64
        public var sha256: ContentDigest
        public var mediaType: String
    }

    /// `packet.status`, `delivery.expired`, `delivery.undeliverable`: a delivery's new state.
    public struct Status: Codable, Sendable, Hashable {
        public var packetId: PacketID
        public var recipient: UnitCode
        public var appId: String
        public var state: DeliveryState
        public var reason: String?
        public var at: Date
        /// For `delivery.undeliverable` because the destination stayed offline: when it was last seen.
        public var lastSeen: Date?
    }

    /// `packet.trace`: a destination reported a processing status (edXML status packet) for its delivery.
    public struct Trace: Codable, Sendable, Hashable {
        public var packetId: PacketID
        public var recipient: UnitCode
        public var appId: String
        /// The edXML status code (`01`…`06`, `13`, `15`, `16`).
        public var status: String
        /// Its English name (`accepted`, `finished`…).
        public var statusName: String
        public var description: String?
        /// When the destination says it happened.
        public var reportedAt: Date?
        /// The delivery's state after the report.
        public var state: DeliveryState
        public var at: Date
    }

    static func encode(_ value: some Encodable) -> Data {
        let encoder = JSONEncoder()
        // Dates to the millisecond, like every other date of the API.
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(date.isoMillis)
        }
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Encoding these plain value types cannot fail.
        return (try? encoder.encode(value)) ?? Data("{}".utf8)
    }
}
