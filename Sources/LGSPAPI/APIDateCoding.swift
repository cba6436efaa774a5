import Foundation
import LGSPCore

/// JSON coders shared by the hub and its clients: ISO 8601 dates (fractional seconds accepted and
/// written), sorted keys for stable output.
public enum APICoding {
    public static func makeEncoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(formatDate(date))
        }
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }

    public static func makeDecoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let container = try decoder.singleValueContainer()
            let text = try container.decode(String.self)
            guard let date = parseDate(text) else {
                throw DecodingError.dataCorruptedError(
                    in: container, debugDescription: "'\(text)' is not an ISO 8601 date-time such as 2026-11-29T08:00:00Z")
            }
            return date
        }
        return decoder
    }

    /// `2026-11-29T08:00:00.123Z` (see `Date.isoMillis`).
    public static func formatDate(_ date: Date) -> String {
        date.isoMillis
    }

    /// Parses ISO 8601 date-times with or without fractional seconds, with `Z` or an offset.
    public static func parseDate(_ text: String) -> Date? {
        if let date = try? Date.ISO8601FormatStyle(includingFractionalSeconds: true).parse(text) { return date }
        return try? Date.ISO8601FormatStyle().parse(text)
    }
}
