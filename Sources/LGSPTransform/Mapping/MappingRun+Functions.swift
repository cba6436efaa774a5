import Foundation
import LGSPCore

extension MappingRun {
    /// Applies one step; text steps on an array apply to each element, `null` passes through.
    func apply(_ step: MappingFunction, to value: JSONValue, in context: Context, at location: RuleLocation) throws(LGSPError) -> JSONValue {
        if value == .null { return .null }
        switch step {
        case .first:
            if case .array(let elements) = value { return elements.first { $0 != .null } ?? .null }
            return value
        case .join(let separator):
            guard case .array(let elements) = value else { return value }
            let parts = elements.compactMap(\.text).filter { !$0.isEmpty }
            return parts.isEmpty ? .null : .string(parts.joined(separator: separator))
        case .lookup(let lookup):
            if case .array(let elements) = value {
                var results: [JSONValue] = []
                for element in elements { results.append(try self.lookup(lookup, element, in: context, at: location)) }
                return .array(results)
            }
            return try self.lookup(lookup, value, in: context, at: location)
        default:
            if case .array(let elements) = value {
                var results: [JSONValue] = []
                for element in elements { results.append(try apply(step, to: element, in: context, at: location)) }
                return .array(results)
            }
            return try scalar(step, value, at: location)
        }
    }

    private func scalar(_ step: MappingFunction, _ value: JSONValue, at location: RuleLocation) throws(LGSPError) -> JSONValue {
        func text(_ transform: (String) -> String) -> JSONValue {
            guard case .string(let string) = value else { return value }
            return .string(transform(string))
        }
        switch step {
        case .trim: return text(Self.trimmed)
        case .upper: return text { $0.uppercased() }
        case .lower: return text { $0.lowercased() }
        case .capitalize:
            return text { $0.split(separator: " ", omittingEmptySubsequences: false).map { $0.prefix(1).uppercased() + $0.dropFirst().lowercased() }.joined(separator: " ") }
        case .collapseSpaces: return text { $0.split(whereSeparator: \.isWhitespace).joined(separator: " ") }
        case .nfc: return text(Self.nfc)
        case .removeDiacritics:
            return text { $0.replacingOccurrences(of: "đ", with: "d").replacingOccurrences(of: "Đ", with: "D").folding(options: .diacriticInsensitive, locale: nil) }
        case .string: return value.text.map(JSONValue.string) ?? .null
        case .number, .integer:
            let number: Double
            switch value {
            case .number(let existing): number = existing
            case .bool(let flag): number = flag ? 1 : 0
            default:
                guard let text = value.text, let parsed = Self.number(text) else {
                    throw location.error(.ruleFailed, "'\(value.text ?? "")' is not a number")
                }
                number = parsed
            }
            if case .integer = step {
                guard number.rounded(.towardZero) == number else { throw location.error(.ruleFailed, "\(JSONSerializer.format(number)) is not a whole number") }
            }
            return .number(number)
        case .boolean:
            if case .bool = value { return value }
            let word = (value.text ?? "").trimmingCharacters(in: .whitespaces).lowercased().precomposedStringWithCanonicalMapping
            if Self.trueWords.contains(word) { return .bool(true) }
            if Self.falseWords.contains(word) { return .bool(false) }
            throw location.error(.ruleFailed, "'\(value.text ?? "")' is not a yes/no value (true/false, 1/0, có/không, x/empty)")
        case .split(let separator):
            guard case .string(let string) = value else { return value }
            return .array(string.components(separatedBy: separator).map { .string($0) })
        case .date(let patterns, let output):
            guard case .string(let string) = value else {
                throw location.error(.ruleFailed, "a date must be text, found \(value.typeName)")
            }
            for pattern in patterns {
                if let fields = pattern.parse(string) { return .string(output.format(fields)) }
            }
            throw location.error(.ruleFailed, "the date '\(string)' does not match \(patterns.map(\.description).joined(separator: " or ")) (or is not a real date)")
        case .name(let part):
            guard case .string(let string) = value else { return value }
            let result = VietnameseName.part(part, of: string)
            return result.isEmpty ? .null : .string(result)
        case .pad(let width, let character):
            guard let string = value.text else { return value }
            return .string(String(repeating: character, count: max(0, width - string.count)) + string)
        case .replace(let box, let with):
            guard case .string(let string) = value else { return value }
            return .string(box.regex.stringByReplacingMatches(in: string, range: NSRange(string.startIndex..., in: string), withTemplate: with))
        case .map(let values, let unknown):
            let key = value.text ?? ""
            if let mapped = values[key] { return mapped }
            switch unknown {
            case .pass: return value
            case .replace(let replacement): return replacement
            case .fail:
                throw location.error(.unknownCode, "'\(key)' is not in the rule's map (known: \(values.keys.sorted().joined(separator: ", ")))", details: ["code": key])
            }
        case .first, .join, .lookup:
            return value
        }
    }

    /// Without leading and trailing white space (Unicode), without going through NSString.
    static func trimmed(_ text: String) -> String {
        let scalars = text.unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
              let last = scalars.lastIndex(where: { !$0.properties.isWhitespace }) else { return "" }
        if first == scalars.startIndex && last == scalars.index(before: scalars.endIndex) { return text }
        return String(scalars[first...last])
    }

    /// NFC; text made only of scalars that are their own NFC form (ASCII, Latin-1, the Vietnamese
    /// precomposed letters of Latin Extended Additional) is returned as it is, without Foundation.
    static func nfc(_ text: String) -> String {
        let alreadyComposed = text.unicodeScalars.allSatisfy { scalar in
            scalar.value < 0x0300 || (0x1E00...0x1EFF).contains(scalar.value)
        }
        return alreadyComposed ? text : text.precomposedStringWithCanonicalMapping
    }

    static let trueWords: Set<String> = ["true", "1", "yes", "y", "có", "co", "x", "đúng", "dung", "c"]
    static let falseWords: Set<String> = ["false", "0", "no", "n", "không", "khong", "", "sai", "k"]

    /// Reads `1234.5`, `1,5` (decimal comma) and `1.234.567,89` (Vietnamese grouping): when both
    /// separators appear, the last one is the decimal separator.
    static func number(_ text: String) -> Double? {
        var cleaned = text.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: " ", with: "").replacingOccurrences(of: "_", with: "")
        let lastComma = cleaned.lastIndex(of: ",")
        let lastDot = cleaned.lastIndex(of: ".")
        switch (lastComma, lastDot) {
        case (let comma?, let dot?):
            if comma > dot {
                cleaned = cleaned.replacingOccurrences(of: ".", with: "").replacingOccurrences(of: ",", with: ".")
            } else {
                cleaned = cleaned.replacingOccurrences(of: ",", with: "")
            }
        case (_?, nil):
            cleaned = cleaned.replacingOccurrences(of: ",", with: ".")
        default: break
        }
        guard !cleaned.isEmpty, let number = Double(cleaned), number.isFinite else { return nil }
        return number
    }
}
