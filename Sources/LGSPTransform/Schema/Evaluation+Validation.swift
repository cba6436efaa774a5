import Foundation
import LGSPCore

extension Evaluation {
    /// The validation vocabulary (2020-12 validation §6), except min/maxContains (with `contains`).
    mutating func checkValidation(_ schema: JSONObject, instance: JSONValue, path: String) -> Bool {
        var valid = true
        func check(_ condition: Bool, _ keyword: String, _ message: @autoclosure () -> String, _ evaluation: inout Evaluation) {
            if !condition {
                evaluation.fail(path, keyword, message())
                valid = false
            }
        }
        if let type = schema["type"] {
            let allowed = type.arrayValue?.compactMap(\.stringValue) ?? type.stringValue.map { [$0] } ?? []
            check(allowed.contains { Self.hasType(instance, $0) }, "type",
                  "must be \(allowed.joined(separator: " or ")), found \(instance.typeName)", &self)
        }
        if case .array(let options)? = schema["enum"] {
            check(options.contains(instance), "enum", "must be one of \(options.prefix(10).map { JSONSerializer.string($0) }.joined(separator: ", "))\(options.count > 10 ? ", …" : "")", &self)
        }
        if let constant = schema["const"] {
            check(instance == constant, "const", "must be \(JSONSerializer.string(constant))", &self)
        }
        switch instance {
        case .number(let number):
            if let divisor = schema["multipleOf"]?.numberValue {
                check(Self.isMultiple(number, of: divisor), "multipleOf", "must be a multiple of \(JSONSerializer.format(divisor))", &self)
            }
            if let limit = schema["maximum"]?.numberValue { check(number <= limit, "maximum", "must be at most \(JSONSerializer.format(limit))", &self) }
            if let limit = schema["exclusiveMaximum"]?.numberValue { check(number < limit, "exclusiveMaximum", "must be less than \(JSONSerializer.format(limit))", &self) }
            if let limit = schema["minimum"]?.numberValue { check(number >= limit, "minimum", "must be at least \(JSONSerializer.format(limit))", &self) }
            if let limit = schema["exclusiveMinimum"]?.numberValue { check(number > limit, "exclusiveMinimum", "must be more than \(JSONSerializer.format(limit))", &self) }
        case .string(let text):
            // Lengths count Unicode code points (2020-12 validation §6.3.1).
            let length = Double(text.unicodeScalars.count)
            if let limit = schema["maxLength"]?.numberValue { check(length <= limit, "maxLength", "must have at most \(Int(limit)) characters", &self) }
            if let limit = schema["minLength"]?.numberValue { check(length >= limit, "minLength", "must have at least \(Int(limit)) characters", &self) }
            if case .string(let pattern)? = schema["pattern"] {
                if let regex = try? PatternCache.shared.regex(pattern) {
                    check(PatternCache.matches(regex, text), "pattern", "must match the pattern \(pattern)", &self)
                }
            }
        case .array(let items):
            let count = Double(items.count)
            if let limit = schema["maxItems"]?.numberValue { check(count <= limit, "maxItems", "must have at most \(Int(limit)) items", &self) }
            if let limit = schema["minItems"]?.numberValue { check(count >= limit, "minItems", "must have at least \(Int(limit)) items", &self) }
            if schema["uniqueItems"] == .bool(true) {
                check(Set(items).count == items.count, "uniqueItems", "must not repeat an item", &self)
            }
        case .object(let members):
            let count = Double(members.count)
            if let limit = schema["maxProperties"]?.numberValue { check(count <= limit, "maxProperties", "must have at most \(Int(limit)) members", &self) }
            if let limit = schema["minProperties"]?.numberValue { check(count >= limit, "minProperties", "must have at least \(Int(limit)) members", &self) }
            if case .array(let required)? = schema["required"] {
                for case .string(let name) in required where members[name] == nil {
                    fail(path, "required", "the member \(name) is required")
                    valid = false
                }
            }
            if case .object(let dependencies)? = schema["dependentRequired"] {
                for dependency in dependencies where members[dependency.key] != nil {
                    for case .string(let name) in dependency.value.arrayValue ?? [] where members[name] == nil {
                        fail(path, "dependentRequired", "the member \(name) is required when \(dependency.key) is present")
                        valid = false
                    }
                }
            }
        default: break
        }
        return valid
    }

    static func hasType(_ instance: JSONValue, _ type: String) -> Bool {
        switch type {
        case "integer": instance.isInteger
        default: instance.typeName == type
        }
    }

    static func isMultiple(_ number: Double, of divisor: Double) -> Bool {
        guard divisor > 0 else { return false }
        if number.rounded() == number, divisor.rounded() == divisor, abs(number) < 9e15, abs(divisor) < 9e15 {
            return Int64(number) % Int64(divisor) == 0
        }
        let quotient = number / divisor
        guard quotient.isFinite else { return false }
        return abs(quotient - quotient.rounded()) < 1e-9
    }
}

/// Compiled `pattern`/`patternProperties` regular expressions, shared by every validation.
final class PatternCache: @unchecked Sendable {
    static let shared = PatternCache()
    private let lock = NSLock()
    private var compiled: [String: NSRegularExpression] = [:]

    func regex(_ pattern: String) throws(LGSPError) -> NSRegularExpression {
        lock.lock()
        defer { lock.unlock() }
        if let regex = compiled[pattern] { return regex }
        do {
            let regex = try NSRegularExpression(pattern: pattern)
            compiled[pattern] = regex
            return regex
        } catch {
            throw LGSPError(.invalidSchema, "the regular expression \(pattern) does not compile")
        }
    }

    /// ECMA-262 semantics: the pattern is not anchored, a match anywhere counts.
    static func matches(_ regex: NSRegularExpression, _ text: String) -> Bool {
        regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
    }
}
