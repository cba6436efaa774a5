/// How well a unit matches a search (Article 5.7, smart search of destination units): the scoring
/// and the order of results. Pure; stores only find the units that match (`UnitSearchQuery.matches`).
///
/// Scores, best first (a unit gets the best tier it reaches):
///
/// | tier | score | the query… |
/// |---|---|---|
/// | `code` | 1000 | is the unit's code (read leniently: `05.H24` is `000.00.05.H24`) |
/// | `former_code` | 900 | is a code the unit replaced (a merged or recoded unit's old code) |
/// | `code_prefix` | 800 | starts the code (`000.00.0`), is its level-1 group (`H24`), or is the code of an ancestor |
/// | `name` | 600 | equals the folded name, or the name without its leading type words (`Phường`, `Sở`, `UBND`…) |
/// | `name_prefix` | 500 | starts the folded name, or the name without its type words |
/// | `words` | 400 | has only whole words of the name, in any order |
/// | `word_prefixes` | 300 | has only words that start words of the name (`tai ch`) |
/// | `substring` | 200 | has only words found inside the name |
///
/// A match on a former name (before a rename) scores its tier minus 150 (tier `former_name`). A query typed with
/// diacritics adds 20 when every one of its words appears with the same accents in the name, so
/// `Cẩm Giàng` puts Xã Cẩm Giàng before Xã Cẩm Giang (tone-mark placement does not count: `Hòa`
/// equals `Hoà`). Ties go to active units, then shorter names (without their type words: Phường
/// Kiến An before Xã Kiến Hải), then codes in order.
public enum UnitSearch {
    /// Which rule gave a unit its score.
    public enum Tier: String, Sendable, Hashable, Codable, CaseIterable {
        case code
        case formerCode = "former_code"
        case codePrefix = "code_prefix"
        case name
        case namePrefix = "name_prefix"
        case words
        case wordPrefixes = "word_prefixes"
        case substring
        case formerName = "former_name"

        /// The base score of the tier (former names: see `score`).
        public var points: Int {
            switch self {
            case .code: 1000
            case .formerCode: 900
            case .codePrefix: 800
            case .name: 600
            case .namePrefix: 500
            case .words: 400
            case .wordPrefixes: 300
            case .substring: 200
            case .formerName: 0
            }
        }
    }

    /// What a former name scores below the same match on the current name.
    public static let formerNamePenalty = 150
    /// What matching the query's accents adds.
    public static let accentBonus = 20

    /// A unit with its score.
    public struct Match: Sendable, Hashable {
        public var unit: Unit
        public var score: Int
        public var tier: Tier

        public init(unit: Unit, score: Int, tier: Tier) {
            self.unit = unit
            self.score = score
            self.tier = tier
        }
    }

    /// The unit's score for the query, or nil if it does not match.
    public static func score(_ unit: Unit, for query: UnitSearchQuery) -> Match? {
        var best: Match?
        func consider(_ tier: Tier, _ score: Int) {
            if score > best?.score ?? Int.min { best = Match(unit: unit, score: score, tier: tier) }
        }
        if let tier = codeTier(unit, query) { consider(tier, tier.points) }
        if let tier = nameTier(VietnameseText.searchWords(unit.name), query) {
            consider(tier, tier.points + accentPoints(unit.name, query))
        }
        for former in unit.formerNames {
            if let tier = nameTier(VietnameseText.searchWords(former), query) {
                consider(.formerName, tier.points - formerNamePenalty + accentPoints(former, query))
            }
        }
        return best
    }

    /// The matching units, best first (see the type's documentation for the order).
    public static func rank(_ units: [Unit], for query: UnitSearchQuery) -> [Match] {
        units.compactMap { score($0, for: query) }
            .map { (match: $0, length: coreWords(VietnameseText.searchWords($0.unit.name)).joined(separator: " ").count) }
            .sorted { lhs, rhs in
                if lhs.match.score != rhs.match.score { return lhs.match.score > rhs.match.score }
                if lhs.match.unit.status != rhs.match.unit.status { return lhs.match.unit.status == .active }
                if lhs.length != rhs.length { return lhs.length < rhs.length }
                return lhs.match.unit.code < rhs.match.unit.code
            }
            .map(\.match)
    }

    private static func codeTier(_ unit: Unit, _ query: UnitSearchQuery) -> Tier? {
        guard let text = query.codeText else { return nil }
        if let code = query.code {
            if unit.code == code { return .code }
            if unit.formerCodes.contains(code) { return .formerCode }
            if unit.code.isDescendant(of: code) { return .codePrefix }
        }
        if text.count >= 3 && unit.code.rawValue.hasPrefix(text) { return .codePrefix }
        if let group = query.levelOneGroup, unit.code.level1 == group { return .codePrefix }
        return nil
    }

    /// Leading words that say what kind of unit it is, not which one (folded, longest first).
    static let typeWords: [[String]] = [
        "uy ban nhan dan", "hoi dong nhan dan", "thanh pho", "thi tran", "thi xa", "dac khu", "phuong", "xa", "tinh",
        "huyen", "quan", "so",
    ].map { $0.split(separator: " ").map(String.init) }

    /// The name's words without its leading type words (`Ủy ban nhân dân Phường Hải An` → `hai an`).
    static func coreWords(_ words: [String]) -> [String] {
        var rest = words[...]
        while let type = typeWords.first(where: { rest.starts(with: $0) && rest.count > $0.count }) {
            rest = rest.dropFirst(type.count)
        }
        return Array(rest)
    }

    private static func nameTier(_ nameWords: [String], _ query: UnitSearchQuery) -> Tier? {
        let queryWords = query.words
        guard !queryWords.isEmpty, !nameWords.isEmpty else { return nil }
        let phrase = nameWords.joined(separator: " ")
        let core = coreWords(nameWords).joined(separator: " ")
        if phrase == query.phrase || core == query.phrase { return .name }
        if phrase.hasPrefix(query.phrase) || core.hasPrefix(query.phrase) { return .namePrefix }
        if queryWords.allSatisfy(nameWords.contains) { return .words }
        if queryWords.allSatisfy({ word in nameWords.contains { $0.hasPrefix(word) } }) { return .wordPrefixes }
        if queryWords.allSatisfy({ phrase.contains($0) }) { return .substring }
        return nil
    }

    private static func accentPoints(_ name: String, _ query: UnitSearchQuery) -> Int {
        guard let wanted = query.accentWords, !wanted.isEmpty else { return 0 }
        let have = VietnameseText.accentWords(name)
        return wanted.allSatisfy(have.contains) ? accentBonus : 0
    }
}

extension UnitCode {
    /// Whether `ancestor` is this code's parent, grandparent or further up (never the code itself).
    public func isDescendant(of ancestor: UnitCode) -> Bool {
        var current = parent
        while let code = current {
            if code == ancestor { return true }
            current = code.parent
        }
        return false
    }
}
