/// The kind of data a packet carries (`edoc`, `citizen-record`, …): it picks receiving apps and mappings.
///
/// Lowercase ASCII letters, digits, `.`, `_` and `-`, 1 to 64 characters, starting with a letter or digit.
public struct DataType: Hashable, Sendable, Codable, Comparable, CustomStringConvertible {
    public let rawValue: String

    /// - Throws: `directory.invalid_data_type` naming the text and the rule.
    public init(_ text: String) throws(LGSPError) {
        let allowed: (UInt8) -> Bool = {
            ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2E || $0 == 0x5F || $0 == 0x2D
        }
        let bytes = Array(text.utf8)
        guard (1...64).contains(bytes.count), bytes.allSatisfy(allowed), let first = bytes.first,
            first != 0x2E, first != 0x5F, first != 0x2D
        else {
            throw LGSPError(
                .invalidDataType,
                "'\(text)' is not a valid data type: use 1-64 lowercase letters, digits, '.', '_' or '-', starting with a letter or digit",
                field: "dataType")
        }
        rawValue = text
    }

    public var description: String { rawValue }
    public static func < (lhs: DataType, rhs: DataType) -> Bool { lhs.rawValue < rhs.rawValue }

    public init(from decoder: any Decoder) throws {
        self = try DataType(try decoder.singleValueContainer().decode(String.self))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}

/// The data types an app receives: all of them (`*`) or a listed set.
public enum DataTypeSet: Hashable, Sendable {
    case all
    case only(Set<DataType>)

    /// Parses `*` or a comma-separated list (`edoc,citizen-record`).
    public init(parsing text: String) throws(LGSPError) {
        let items = text.split(separator: ",").map { $0.trimmingASCIIWhitespace() }.filter { !$0.isEmpty }
        try self.init(items)
    }

    /// Builds the set from list items; `["*"]` means all.
    public init(_ items: [String]) throws(LGSPError) {
        if items.contains("*") {
            self = .all
            return
        }
        var set = Set<DataType>()
        for item in items { set.insert(try DataType(item)) }
        self = .only(set)
    }

    /// Whether packets of this data type go to the app.
    public func contains(_ type: DataType) -> Bool {
        switch self {
        case .all: return true
        case .only(let set): return set.contains(type)
        }
    }

    /// The list form: `["*"]` or the sorted names.
    public var items: [String] {
        switch self {
        case .all: return ["*"]
        case .only(let set): return set.sorted().map(\.rawValue)
        }
    }
}

extension DataTypeSet: Codable {
    public init(from decoder: any Decoder) throws {
        self = try DataTypeSet(try decoder.singleValueContainer().decode([String].self))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(items)
    }
}
