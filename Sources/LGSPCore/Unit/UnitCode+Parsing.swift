extension UnitCode {
    /// Parses a code for registration: exactly `DDD.DD.DD.LNN`, digits only in the numeric groups,
    /// an uppercase letter and two digits (not `00`) at level 1, and no gap in the hierarchy (a
    /// level-3 group needs a level-2 group, a level-4 group a level-3 group).
    ///
    /// - Throws: `LGSPError` with code `directory.invalid_unit_code` and a message naming the rule broken.
    public init(strict text: String) throws(LGSPError) {
        func invalid(_ why: String) -> LGSPError {
            LGSPError(.invalidUnitCode, "'\(text)' is not a valid QCVN 102:2016 unit code: \(why)", field: "code")
        }
        let groups = text.split(separator: ".", omittingEmptySubsequences: false)
        guard groups.count == 4 else {
            throw invalid("expected 4 groups DDD.DD.DD.LNN separated by dots, found \(groups.count)")
        }
        let widths = [3, 2, 2]
        var numbers: [Int] = []
        for (index, width) in widths.enumerated() {
            let group = groups[index]
            guard group.count == width, group.allSatisfy(\.isASCIIDigit), let value = Int(group) else {
                throw invalid("level-\(4 - index) group '\(group)' must be exactly \(width) digits")
            }
            numbers.append(value)
        }
        let top = groups[3]
        guard top.count == 3, let letter = top.first, letter.isASCII, letter.isUppercase,
            top.dropFirst().allSatisfy(\.isASCIIDigit)
        else {
            throw invalid("level-1 group '\(top)' must be an uppercase letter followed by two digits (e.g. H23)")
        }
        guard top.dropFirst() != "00" else {
            throw invalid("level-1 group '\(top)' cannot be number 00")
        }
        let (level4, level3, level2) = (numbers[0], numbers[1], numbers[2])
        if level2 == 0 && (level3 != 0 || level4 != 0) {
            throw invalid("a level-3 or level-4 group needs a level-2 group (level 2 is 00)")
        }
        if level3 == 0 && level4 != 0 {
            throw invalid("a level-4 group needs a level-3 group (level 3 is 00)")
        }
        self.init(level1: String(top), level2: level2, level3: level3, level4: level4)
    }

    /// Parses a code seen in incoming traffic, tolerating the noise found in real data: surrounding
    /// whitespace, a lowercase letter, 2 or 3 groups instead of 4 (`01.02.G22`), numeric groups of
    /// the wrong width (`999.010.01.H22`). The result is canonical. Returns nil for text that holds
    /// no code at all (`null`, empty, letters where digits belong).
    public init?(lenient text: String) {
        let trimmed = text.trimmingASCIIWhitespace()
        let groups = trimmed.split(separator: ".", omittingEmptySubsequences: false)
        guard (2...4).contains(groups.count), let top = groups.last, top.count == 3,
            let letter = top.first, letter.isASCII, letter.isLetter,
            top.dropFirst().allSatisfy(\.isASCIIDigit)
        else { return nil }
        let limits = [99, 99, 999]  // level 2, 3, 4
        var values = [0, 0, 0]
        for (index, group) in groups.dropLast().reversed().enumerated() {
            guard (1...3).contains(group.count), group.allSatisfy(\.isASCIIDigit), let value = Int(group),
                value <= limits[index]
            else { return nil }
            values[index] = value
        }
        self.init(level1: top.uppercased(), level2: values[0], level3: values[1], level4: values[2])
    }
}

extension Character {
    var isASCIIDigit: Bool { isASCII && isWholeNumber }
}

extension StringProtocol {
    /// The text without leading and trailing ASCII whitespace (spaces, tabs, newlines).
    func trimmingASCIIWhitespace() -> String {
        // Work on scalars: "\r\n" is one Character, which a Character comparison would never match.
        let scalars = String(self).unicodeScalars
        let isSpace: (Unicode.Scalar) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }
        guard let start = scalars.firstIndex(where: { !isSpace($0) }), let end = scalars.lastIndex(where: { !isSpace($0) }) else {
            return ""
        }
        return String(scalars[start...end])
    }
}
