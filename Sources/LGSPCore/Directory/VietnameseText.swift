/// Folding of Vietnamese text for search: case, diacritics and abbreviations set aside, so that
/// `so tai chinh`, `SỞ TÀI CHÍNH` and `Sở Tài chính` compare equal, and `Sở TT&TT` equals
/// `Sở Thông tin và Truyền thông`.
///
/// Folding works on Unicode scalars after canonical decomposition (NFD), so precomposed and
/// decomposed input, and both tone-mark placements (`Hoà`/`Hòa`, `Thuỷ`/`Thủy`), fold alike.
public enum VietnameseText {
    /// The revision of `searchKey` (folding and `UnitAbbreviations`): stores that keep search keys
    /// recompute them when theirs were made by another revision. Bump it with any change to either.
    public static let searchKeyVersion = 1

    /// Lowercase text without diacritics: combining marks dropped, `đ`/`Đ` → `d`, every run of
    /// characters other than letters and digits turned into one space, no leading or trailing space.
    ///
    /// `"Ủy ban nhân dân Phường Hải Dương"` → `"uy ban nhan dan phuong hai duong"`.
    public static func fold(_ text: String) -> String {
        words(folding: text).joined(separator: " ")
    }

    /// The folded words of a text, with the abbreviations of `UnitAbbreviations` expanded into their
    /// words: `"UBND TP Hải Phòng"` → `["uy", "ban", "nhan", "dan", "thanh", "pho", "hai", "phong"]`.
    ///
    /// An abbreviation is recognised as a whole token between spaces, its punctuation ignored
    /// (`TT&TT`, `TT & TT`, `tttt` and `LĐ-TB&XH` are tokens); anything else splits at punctuation.
    public static func searchWords(_ text: String) -> [String] {
        // "TT & TT" is written with spaces as often as without: join the parts around '&'.
        let joined = text.replacing(" & ", with: "&").replacing(" &", with: "&").replacing("& ", with: "&")
        var result: [String] = []
        for token in joined.split(whereSeparator: { $0.isWhitespace }) {
            let parts = words(folding: String(token))
            if let expansion = UnitAbbreviations.expansion(of: parts.joined()) {
                result += expansion
            } else {
                result += parts
            }
        }
        return result
    }

    /// The search key stored for a name: its search words joined by single spaces.
    public static func searchKey(_ text: String) -> String {
        searchWords(text).joined(separator: " ")
    }

    /// Lowercase words that keep their diacritics but not where the tone mark sits: `Hoà` and `Hòa`
    /// give the same word, `Giang` and `Giàng` do not. Used to prefer units whose name carries the
    /// accents typed in a query.
    public static func accentWords(_ text: String) -> [String] {
        var result: [String] = []
        for token in text.lowercased().decomposedStringWithCanonicalMapping.split(whereSeparator: { !isWordScalarCharacter($0) }) {
            var letters = String.UnicodeScalarView()
            var tones: [Unicode.Scalar] = []
            for scalar in token.unicodeScalars {
                if toneMarks.contains(scalar.value) { tones.append(scalar) } else { letters.append(scalar) }
            }
            // The tone is a property of the syllable, not of one vowel: store it after the letters.
            letters.append(contentsOf: tones.sorted { $0.value < $1.value })
            result.append(String(letters))
        }
        return result
    }

    /// Whether the text holds any letter outside ASCII (a diacritic or `đ`): the user typed accents.
    public static func hasDiacritics(_ text: String) -> Bool {
        text.unicodeScalars.contains { !$0.isASCII && $0.properties.isAlphabetic }
    }

    // Vietnamese tone marks as combining characters: grave, acute, tilde, hook above, dot below.
    private static let toneMarks: Set<UInt32> = [0x300, 0x301, 0x303, 0x309, 0x323]

    private static func isWordScalarCharacter(_ character: Character) -> Bool {
        character.unicodeScalars.allSatisfy { $0.properties.isAlphabetic || $0.properties.numericType != nil || $0.properties.generalCategory == .nonspacingMark }
    }

    /// Splits folded text into words of letters and digits.
    private static func words(folding text: String) -> [String] {
        var words: [String] = []
        var current = String.UnicodeScalarView()
        func flush() {
            if !current.isEmpty { words.append(String(current)) }
            current = String.UnicodeScalarView()
        }
        for scalar in text.decomposedStringWithCanonicalMapping.unicodeScalars {
            let properties = scalar.properties
            if properties.generalCategory == .nonspacingMark { continue }
            if scalar == "đ" || scalar == "Đ" {
                current.append("d")
            } else if scalar.isASCII {
                let value = scalar.value
                if (0x30...0x39).contains(value) || (0x61...0x7A).contains(value) {
                    current.append(scalar)
                } else if (0x41...0x5A).contains(value) {
                    current.append(Unicode.Scalar(value + 0x20)!)
                } else {
                    flush()
                }
            } else if properties.isAlphabetic || properties.numericType != nil {
                current.append(contentsOf: String(scalar).lowercased().unicodeScalars)
            } else {
                flush()
            }
        }
        flush()
        return words
    }
}
