/// Which units a grant covers: one code, a glob over codes (`*.H23`, `000.00.*.H23`), or every unit (`*`).
///
/// `*` in a glob matches any run of characters, so `*.H23` covers every code of province H23.
public struct UnitPattern: Hashable, Sendable, Codable, CustomStringConvertible {
    /// The pattern as written (a canonical code, a glob, or `*`).
    public let rawValue: String

    /// Validates a pattern: `*`, a strict unit code, or a glob made of code characters and `*`.
    ///
    /// - Throws: `directory.invalid_pattern` naming the offending text.
    public init(_ text: String) throws(LGSPError) {
        let trimmed = text.trimmingASCIIWhitespace()
        if trimmed == "*" {
            rawValue = "*"
        } else if !trimmed.contains("*") {
            guard let code = UnitCode(lenient: trimmed) else {
                throw LGSPError(.invalidPattern, "'\(text)' is neither a unit code, a glob such as *.H23, nor *")
            }
            rawValue = code.rawValue
        } else {
            guard trimmed.allSatisfy({ $0.isASCIIDigit || $0 == "." || $0 == "*" || ($0.isASCII && $0.isLetter) }) else {
                throw LGSPError(.invalidPattern, "'\(text)' may contain only digits, letters, dots and *")
            }
            rawValue = trimmed.uppercased()
        }
    }

    public var description: String { rawValue }

    /// Whether the pattern covers a code.
    public func matches(_ code: UnitCode) -> Bool {
        if rawValue == "*" { return true }
        if !rawValue.contains("*") { return rawValue == code.rawValue }
        return Glob.matches(pattern: Array(rawValue.utf8), text: Array(code.rawValue.utf8))
    }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        self = try UnitPattern(text)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}

/// Matching of `*` globs (no other metacharacters), iterative with backtracking to the last star.
enum Glob {
    static func matches(pattern: [UInt8], text: [UInt8]) -> Bool {
        let star = UInt8(ascii: "*")
        var (p, t) = (0, 0)
        var (starP, starT) = (-1, 0)
        while t < text.count {
            if p < pattern.count && pattern[p] == star {
                (starP, starT) = (p, t)
                p += 1
            } else if p < pattern.count && pattern[p] == text[t] {
                p += 1
                t += 1
            } else if starP >= 0 {
                p = starP + 1
                starT += 1
                t = starT
            } else {
                return false
            }
        }
        while p < pattern.count && pattern[p] == star { p += 1 }
        return p == pattern.count
    }
}
