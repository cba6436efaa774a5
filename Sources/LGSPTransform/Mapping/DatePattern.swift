/// A date format as Vietnamese government data writes dates: `dd/MM/yyyy`, `yyyy/MM/dd`
/// (edXML), `yyyy-MM-dd` (ISO 8601), with an optional time `HH:mm:ss`.
///
/// Letters: `yyyy` year, `MM`/`M` month, `dd`/`d` day, `HH`/`H` hour, `mm` minute, `ss` second;
/// any other character is literal. The names `iso` (`yyyy-MM-dd`) and `iso-datetime`
/// (`yyyy-MM-ddTHH:mm:ss`) are accepted. Dates are calendar-checked (no 31/02).
public struct DatePattern: Sendable, Hashable, CustomStringConvertible {
    enum Token: Hashable, Sendable {
        case year, month(padded: Bool), day(padded: Bool), hour(padded: Bool), minute, second
        case literal(Character)
    }

    let tokens: [Token]
    /// The pattern as written.
    public let description: String

    /// Parses a pattern; nil when it has no year, month and day.
    public init?(_ text: String) {
        let expanded = switch text {
        case "iso": "yyyy-MM-dd"
        case "iso-datetime": "yyyy-MM-ddTHH:mm:ss"
        default: text
        }
        var tokens: [Token] = []
        var rest = Substring(expanded)
        while let character = rest.first {
            let run = rest.prefix { $0 == character }.count
            switch (character, run) {
            case ("y", 4): tokens.append(.year)
            case ("M", 2): tokens.append(.month(padded: true))
            case ("M", 1): tokens.append(.month(padded: false))
            case ("d", 2): tokens.append(.day(padded: true))
            case ("d", 1): tokens.append(.day(padded: false))
            case ("H", 2): tokens.append(.hour(padded: true))
            case ("H", 1): tokens.append(.hour(padded: false))
            case ("m", 2): tokens.append(.minute)
            case ("s", 2): tokens.append(.second)
            case ("y", _), ("M", _), ("d", _), ("H", _), ("m", _), ("s", _): return nil
            default:
                for _ in 0..<run { tokens.append(.literal(character)) }
            }
            rest = rest.dropFirst(run)
        }
        guard tokens.contains(.year), tokens.contains(where: { if case .month = $0 { true } else { false } }),
              tokens.contains(where: { if case .day = $0 { true } else { false } }) else { return nil }
        self.tokens = tokens
        self.description = text
    }

    /// The fields of a date and time.
    public struct Fields: Sendable, Hashable {
        /// Year, month (1–12), day (1–31), hour (0–23), minute, second.
        public var year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0
    }

    /// Reads `text` exactly in this pattern; nil when it does not match or is not a real date.
    public func parse(_ text: String) -> Fields? {
        var fields = Fields()
        var rest = Substring(text.trimmingCharacters(in: .whitespaces))
        func number(_ minimum: Int, _ maximum: Int) -> Int? {
            let digits = rest.prefix { $0.isASCII && $0.isNumber }.prefix(maximum)
            guard digits.count >= minimum, let value = Int(digits) else { return nil }
            rest = rest.dropFirst(digits.count)
            return value
        }
        for token in tokens {
            switch token {
            case .year: guard let value = number(4, 4) else { return nil }; fields.year = value
            case .month(let padded): guard let value = number(padded ? 2 : 1, 2) else { return nil }; fields.month = value
            case .day(let padded): guard let value = number(padded ? 2 : 1, 2) else { return nil }; fields.day = value
            case .hour(let padded): guard let value = number(padded ? 2 : 1, 2) else { return nil }; fields.hour = value
            case .minute: guard let value = number(2, 2) else { return nil }; fields.minute = value
            case .second: guard let value = number(2, 2) else { return nil }; fields.second = value
            case .literal(let character):
                guard rest.first == character else { return nil }
                rest = rest.dropFirst()
            }
        }
        guard rest.isEmpty, Self.isValid(fields) else { return nil }
        return fields
    }

    /// Writes `fields` in this pattern.
    public func format(_ fields: Fields) -> String {
        func padded(_ value: Int, _ width: Int) -> String {
            let digits = String(value)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        var output = ""
        for token in tokens {
            switch token {
            case .year: output += padded(fields.year, 4)
            case .month(let pad): output += pad ? padded(fields.month, 2) : String(fields.month)
            case .day(let pad): output += pad ? padded(fields.day, 2) : String(fields.day)
            case .hour(let pad): output += pad ? padded(fields.hour, 2) : String(fields.hour)
            case .minute: output += padded(fields.minute, 2)
            case .second: output += padded(fields.second, 2)
            case .literal(let character): output.append(character)
            }
        }
        return output
    }

    static func isValid(_ fields: Fields) -> Bool {
        guard (1...12).contains(fields.month), fields.day >= 1, fields.hour < 24, fields.minute < 60, fields.second < 60 else { return false }
        let leap = fields.year % 4 == 0 && (fields.year % 100 != 0 || fields.year % 400 == 0)
        let days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][fields.month - 1]
        return fields.day <= days
    }
}
