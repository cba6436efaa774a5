/// Vietnamese personal names: family name first, given name last, middle names between
/// (`Nguyễn Thị Minh Khai`: family `Nguyễn`, middle `Thị Minh`, given `Khai`).
public enum VietnameseName {
    /// A part of a full name.
    public enum Part: String, Sendable, CaseIterable {
        /// Họ: the first word.
        case family
        /// Tên đệm: the words between the first and the last.
        case middle
        /// Tên: the last word.
        case given
        /// Tên đệm and tên: everything after the family name.
        case middleAndGiven = "middle-given"
    }

    /// The part of `fullName` (spaces collapsed); empty when the name has no such part.
    public static func part(_ part: Part, of fullName: String) -> String {
        let words = fullName.split(whereSeparator: \.isWhitespace).map(String.init)
        guard !words.isEmpty else { return "" }
        switch part {
        case .family: return words[0]
        case .given: return words.count > 1 ? words[words.count - 1] : ""
        case .middle: return words.count > 2 ? words[1..<(words.count - 1)].joined(separator: " ") : ""
        case .middleAndGiven: return words.dropFirst().joined(separator: " ")
        }
    }
}
