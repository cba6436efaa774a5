/// The registered units a sender probably meant when it named a code the directory does not hold
/// (`exchange.unknown_recipient` carries them, Article 5.9: tell the source a destination cannot be found).
public enum UnitSuggestions {
    /// Suggestions given at most.
    public static let limit = 5
    /// Codes further apart than this many character edits are not suggested.
    public static let maxDistance = 3

    /// The searches whose results are candidates for a code: the units of its level-1 group (`H24`)
    /// and those whose code starts like it up to the last group (`000.00.15.` for `000.00.15.H24`).
    public static func candidateQueries(for code: UnitCode) -> [UnitSearchQuery] {
        let text = code.rawValue
        let head = String(text[..<(text.lastIndex(of: ".") ?? text.endIndex)])
        return [code.level1, head].compactMap { try? UnitSearchQuery($0) }
    }

    /// Active units whose codes are at most `maxDistance` edits from `code`: nearest first, then
    /// those of the same level-1 group, then by code.
    public static func near(_ code: UnitCode, among units: [Unit], limit: Int = limit) -> [Unit] {
        let target = Array(code.rawValue.utf8)
        var seen = Set<UnitCode>()
        return units
            .filter { $0.status == .active && $0.code != code && seen.insert($0.code).inserted }
            .map { (unit: $0, distance: editDistance(target, Array($0.code.rawValue.utf8))) }
            .filter { $0.distance <= maxDistance }
            .sorted { lhs, rhs in
                if lhs.distance != rhs.distance { return lhs.distance < rhs.distance }
                let (left, right) = (lhs.unit.code.level1 == code.level1, rhs.unit.code.level1 == code.level1)
                if left != right { return left }
                return lhs.unit.code < rhs.unit.code
            }
            .prefix(limit).map(\.unit)
    }

    /// The `details` text for a list of units: one line per unit, its code, a space and its name
    /// (names hold no control characters, codes no spaces, so the text splits unambiguously).
    public static func detail(_ units: [Unit]) -> String {
        units.map { "\($0.code) \($0.name)" }.joined(separator: "\n")
    }

    /// Levenshtein distance between two byte strings.
    static func editDistance(_ a: [UInt8], _ b: [UInt8]) -> Int {
        if a.isEmpty || b.isEmpty { return max(a.count, b.count) }
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }
}
