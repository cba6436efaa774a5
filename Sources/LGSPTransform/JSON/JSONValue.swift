import Foundation

/// A JSON value as the transformation layer reads, builds and compares it.
///
/// Numbers are IEEE doubles (exact for integers up to 2^53; identity numbers and codes travel as
/// strings in government data). Objects keep their members in insertion order, so a mapping's
/// output follows the order of its rules; equality ignores that order, as JSON does.
public enum JSONValue: Sendable, Hashable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object(JSONObject)

    /// The JSON type name (`null`, `boolean`, `number`, `string`, `array`, `object`) for messages.
    public var typeName: String {
        switch self {
        case .null: "null"
        case .bool: "boolean"
        case .number: "number"
        case .string: "string"
        case .array: "array"
        case .object: "object"
        }
    }

    /// The string if this is a string.
    public var stringValue: String? { if case .string(let value) = self { value } else { nil } }
    /// The number if this is a number.
    public var numberValue: Double? { if case .number(let value) = self { value } else { nil } }
    /// The elements if this is an array.
    public var arrayValue: [JSONValue]? { if case .array(let value) = self { value } else { nil } }
    /// The members if this is an object.
    public var objectValue: JSONObject? { if case .object(let value) = self { value } else { nil } }
    /// True for `null`.
    public var isNull: Bool { self == .null }

    /// True when the number has no fractional part (JSON Schema: 1.0 is an integer).
    public var isInteger: Bool {
        if case .number(let value) = self { return value.isFinite && value.rounded(.towardZero) == value }
        return false
    }

    /// The value as plain text: strings as they are, numbers and booleans in JSON form, null as nil.
    public var text: String? {
        switch self {
        case .null: nil
        case .string(let value): value
        case .bool(let value): value ? "true" : "false"
        case .number(let value): JSONSerializer.format(value)
        case .array, .object: JSONSerializer.string(self)
        }
    }

    public static func == (lhs: JSONValue, rhs: JSONValue) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null): true
        case (.bool(let a), .bool(let b)): a == b
        case (.number(let a), .number(let b)): a == b
        // Code points, not Swift's canonical equivalence: JSON (and JSON Schema's const/enum)
        // tells "ñ" from "n" + U+0303.
        case (.string(let a), .string(let b)): a.unicodeScalars.elementsEqual(b.unicodeScalars)
        case (.array(let a), .array(let b)): a == b
        case (.object(let a), .object(let b)): a == b
        default: false
        }
    }

    public func hash(into hasher: inout Hasher) {
        switch self {
        case .null: hasher.combine(0)
        case .bool(let value): hasher.combine(value)
        case .number(let value): hasher.combine(value)
        case .string(let value): hasher.combine(value)
        case .array(let value): hasher.combine(value)
        case .object(let value): hasher.combine(value)
        }
    }
}

extension JSONValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral,
    ExpressibleByBooleanLiteral, ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral, ExpressibleByNilLiteral
{
    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int) { self = .number(Double(value)) }
    public init(floatLiteral value: Double) { self = .number(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        self = .object(JSONObject(elements.map { JSONObject.Member(key: $0.0, value: $0.1) }))
    }
    public init(nilLiteral: ()) { self = .null }
}
