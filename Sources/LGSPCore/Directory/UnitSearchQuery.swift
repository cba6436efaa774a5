/// A directory search as typed by a person or an app: a unit code, part of one, a name, part of a
/// name or an abbreviation, in any case, with or without diacritics.
///
/// The query is read two ways at once. As a code, when it is one token of letters, digits and dots
/// holding a digit (`000.00.05.H24`, `05.H24`, `000.00`, `H24`). As a name always: its search words
/// (`VietnameseText.searchWords`, abbreviations expanded). `UnitSearch` scores a unit against both.
public struct UnitSearchQuery: Sendable, Hashable {
    /// The text as given, trimmed.
    public let text: String
    /// The uppercased text when it can be (part of) a unit code, else nil.
    public let codeText: String?
    /// The code the text parses to leniently (`05.H24` → `000.00.05.H24`), if any.
    public let code: UnitCode?
    /// Folded search words (at most `maxWords`).
    public let words: [String]
    /// The words joined by spaces.
    public let phrase: String
    /// The words with accents (`VietnameseText.accentWords`), when the text carries diacritics.
    public let accentWords: [String]?

    /// Words beyond this many are ignored.
    public static let maxWords = 10
    /// Longer queries are refused.
    public static let maxLength = 200

    /// Reads a query.
    ///
    /// - Throws: `request.invalid_query` (field `q`) when the text is empty, longer than `maxLength`,
    ///   or holds neither letters nor digits.
    public init(_ raw: String) throws(LGSPError) {
        let trimmed = raw.precomposedStringWithCanonicalMapping.trimmingASCIIWhitespace()
        guard trimmed.count <= Self.maxLength else {
            throw LGSPError(.invalidQuery, "the search text has \(trimmed.count) characters; the limit is \(Self.maxLength)", field: "q")
        }
        text = trimmed
        let upper = trimmed.uppercased()
        let codeLike = !upper.isEmpty && upper.unicodeScalars.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == ".") }
            && upper.contains(where: \.isASCIIDigit)
        codeText = codeLike ? upper : nil
        code = codeLike ? UnitCode(lenient: upper) : nil
        words = Array(VietnameseText.searchWords(trimmed).prefix(Self.maxWords))
        phrase = words.joined(separator: " ")
        accentWords = VietnameseText.hasDiacritics(trimmed) ? VietnameseText.accentWords(trimmed) : nil
        guard codeText != nil || !words.isEmpty else {
            throw LGSPError(.invalidQuery, "the search text '\(raw)' holds no letters or digits; give a name, an abbreviation or a unit code", field: "q")
        }
    }

    /// The level-1 group the text names on its own (`H24`), if that is all it is.
    public var levelOneGroup: String? {
        guard let codeText, codeText.count == 3, let first = codeText.first, first.isLetter,
            codeText.dropFirst().allSatisfy(\.isASCIIDigit)
        else { return nil }
        return codeText
    }

    /// Whether the unit matches at all (`UnitSearch.score` is not nil): what a store must return.
    public func matches(_ unit: Unit) -> Bool {
        UnitSearch.score(unit, for: self) != nil
    }
}
