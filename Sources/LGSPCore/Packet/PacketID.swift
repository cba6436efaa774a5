import Foundation

/// A packet's globally unique identifier: a UUID version 7 (time-ordered), stable across federation.
public struct PacketID: Hashable, Sendable, Codable, Comparable, CustomStringConvertible {
    /// Lowercase canonical UUID text.
    public let rawValue: String

    /// Accepts any UUID text (case-insensitive) and keeps its lowercase canonical form.
    public init?(_ text: String) {
        guard let uuid = UUID(uuidString: text) else { return nil }
        rawValue = uuid.uuidString.lowercased()
    }

    /// A new UUIDv7 (RFC 9562): 48-bit Unix milliseconds, then random bits.
    public static func generate(at date: Date = Date()) -> PacketID {
        var bytes = [UInt8](repeating: 0, count: 16)
        var generator = SystemRandomNumberGenerator()
        for index in 0..<16 { bytes[index] = generator.next() }
        let millis = UInt64(max(0, date.timeIntervalSince1970 * 1000))
        for index in 0..<6 { bytes[index] = UInt8(truncatingIfNeeded: millis >> (8 * (5 - index))) }
        bytes[6] = (bytes[6] & 0x0F) | 0x70  // version 7
        bytes[8] = (bytes[8] & 0x3F) | 0x80  // RFC 9562 variant
        let uuid = UUID(uuid: (
            bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7],
            bytes[8], bytes[9], bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]))
        return PacketID(uncheckedRawValue: uuid.uuidString.lowercased())
    }

    init(uncheckedRawValue: String) { rawValue = uncheckedRawValue }

    public var description: String { rawValue }
    public static func < (lhs: PacketID, rhs: PacketID) -> Bool { lhs.rawValue < rhs.rawValue }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let id = PacketID(text) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "'\(text)' is not a packet id")
        }
        self = id
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}
