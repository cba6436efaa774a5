/// The name of a content format (`citizen-legacy`, `citizen-national`, `edxml`): what a data type's
/// packets arrive in, and what a destination app accepts. `mappings/datatypes.yaml` says which
/// mapping turns one into another.
///
/// Lowercase ASCII letters, digits, `.`, `_` and `-`, 1 to 64 characters, starting with a letter or digit.
public struct ContentFormat: Hashable, Sendable, Codable, Comparable, CustomStringConvertible {
    public let rawValue: String

    /// - Throws: `request.invalid_field` naming the text, the rule and `field`.
    public init(_ text: String, field: String = "accepts") throws(LGSPError) {
        let bytes = Array(text.utf8)
        let allowed: (UInt8) -> Bool = {
            ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2E || $0 == 0x5F || $0 == 0x2D
        }
        guard (1...64).contains(bytes.count), bytes.allSatisfy(allowed), let first = bytes.first,
            first != 0x2E, first != 0x5F, first != 0x2D
        else {
            throw LGSPError(
                .invalidField,
                "'\(text)' is not a valid format name: use 1-64 lowercase letters, digits, '.', '_' or '-', starting with a letter or digit",
                field: field)
        }
        rawValue = text
    }

    /// Formats from list items, in order, without repeats.
    public static func list(_ items: [String], field: String = "accepts") throws(LGSPError) -> [ContentFormat] {
        var formats: [ContentFormat] = []
        for item in items {
            let format = try ContentFormat(item, field: field)
            if !formats.contains(format) { formats.append(format) }
        }
        return formats
    }

    public var description: String { rawValue }
    public static func < (lhs: ContentFormat, rhs: ContentFormat) -> Bool { lhs.rawValue < rhs.rawValue }

    public init(from decoder: any Decoder) throws {
        self = try ContentFormat(try decoder.singleValueContainer().decode(String.self))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}
