/// Refuses JSON objects with members a type does not know, so that a typo (`recipients` for `to`)
/// is reported instead of silently ignored.
public enum StrictKeys {
    struct AnyKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    /// Throws `DecodingError.dataCorrupted` naming the first unknown member (the server maps it to `request.unknown_field`).
    public static func check(_ decoder: any Decoder, allowed: Set<String>) throws {
        let container = try decoder.container(keyedBy: AnyKey.self)
        for key in container.allKeys where !allowed.contains(key.stringValue) {
            throw DecodingError.dataCorrupted(
                DecodingError.Context(
                    codingPath: decoder.codingPath + [key],
                    debugDescription: "unknown member '\(key.stringValue)'; allowed: \(allowed.sorted().joined(separator: ", "))",
                    underlyingError: UnknownFieldError(name: key.stringValue)))
        }
    }
}

/// The marker carried by an unknown-member decoding error.
public struct UnknownFieldError: Error {
    public var name: String
}
