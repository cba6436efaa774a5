import LGSPCore
import Testing

/// `UnitCode(strict:)`: the form required for new registrations (QCVN 102:2016, `DDD.DD.DD.LNN`).
@Suite("UnitCode strict parsing")
struct UnitCodeStrictParsingTests {
    struct Valid: Sendable, CustomTestStringConvertible {
        var text: String
        var level1: String
        var level2: Int
        var level3: Int
        var level4: Int
        var testDescription: String { text }
    }

    static let valid: [Valid] = [
        Valid(text: "000.00.00.H23", level1: "H23", level2: 0, level3: 0, level4: 0),
        Valid(text: "000.00.05.H24", level1: "H24", level2: 5, level3: 0, level4: 0),
        Valid(text: "000.12.05.H24", level1: "H24", level2: 5, level3: 12, level4: 0),
        Valid(text: "123.12.05.H24", level1: "H24", level2: 5, level3: 12, level4: 123),
        Valid(text: "000.00.01.G22", level1: "G22", level2: 1, level3: 0, level4: 0),
        Valid(text: "999.99.99.H63", level1: "H63", level2: 99, level3: 99, level4: 999),
        Valid(text: "000.00.00.H01", level1: "H01", level2: 0, level3: 0, level4: 0),
    ]

    @Test("strict parsing accepts a canonical code and reads its groups right to left", arguments: valid)
    func strict_acceptsCanonicalCode(_ row: Valid) throws {
        let code = try UnitCode(strict: row.text)
        #expect(code.level1 == row.level1)
        #expect(code.level2 == row.level2)
        #expect(code.level3 == row.level3)
        #expect(code.level4 == row.level4)
        #expect(code.rawValue == row.text)
        #expect(code.description == row.text)
    }

    struct Invalid: Sendable, CustomTestStringConvertible {
        var text: String
        /// A fragment the message must contain: it names the rule that was broken.
        var reason: String
        var testDescription: String { "'\(text)'" }
    }

    static let invalid: [Invalid] = [
        Invalid(text: "000.00.H23", reason: "expected 4 groups DDD.DD.DD.LNN separated by dots, found 3"),
        Invalid(text: "000.00.00.00.H23", reason: "found 5"),
        Invalid(text: "00.00.00.H23", reason: "level-4 group '00' must be exactly 3 digits"),
        Invalid(text: "0000.00.00.H23", reason: "level-4 group '0000' must be exactly 3 digits"),
        Invalid(text: "000.0.00.H23", reason: "level-3 group '0' must be exactly 2 digits"),
        Invalid(text: "000.00.000.H23", reason: "level-2 group '000' must be exactly 2 digits"),
        Invalid(text: "0a0.00.00.H23", reason: "level-4 group '0a0' must be exactly 3 digits"),
        Invalid(text: "000.0x.00.H23", reason: "level-3 group '0x' must be exactly 2 digits"),
        Invalid(text: "000.00.-1.H23", reason: "level-2 group '-1' must be exactly 2 digits"),
        Invalid(
            text: "000.00.\u{0660}\u{0661}.H23", reason: "level-2 group '\u{0660}\u{0661}' must be exactly 2 digits"),
        Invalid(
            text: "000.00.00.h23", reason: "level-1 group 'h23' must be an uppercase letter followed by two digits"),
        Invalid(
            text: "000.00.00.23H", reason: "level-1 group '23H' must be an uppercase letter followed by two digits"),
        Invalid(text: "000.00.00.H2", reason: "level-1 group 'H2' must be an uppercase letter"),
        Invalid(text: "000.00.00.H234", reason: "level-1 group 'H234' must be an uppercase letter"),
        Invalid(text: "000.00.00.\u{FF28}23", reason: "must be an uppercase letter followed by two digits"),
        Invalid(text: "000.00.00.H00", reason: "level-1 group 'H00' cannot be number 00"),
        Invalid(text: "000.01.00.H23", reason: "a level-3 or level-4 group needs a level-2 group"),
        Invalid(text: "001.00.00.H23", reason: "a level-3 or level-4 group needs a level-2 group"),
        Invalid(text: "001.00.05.H23", reason: "a level-4 group needs a level-3 group"),
        Invalid(text: " 000.00.00.H23", reason: "level-4 group ' 000' must be exactly 3 digits"),
        Invalid(text: "000.00.00.H23 ", reason: "level-1 group 'H23 '"),
        Invalid(text: "000. 00.00.H23", reason: "level-3 group ' 00'"),
        Invalid(text: "", reason: "found 1"),
        Invalid(text: "null", reason: "found 1"),
        Invalid(text: "000.00.00.", reason: "level-1 group ''"),
        Invalid(text: "...", reason: "level-4 group ''"),
    ]

    @Test(
        "strict parsing refuses a malformed code with directory.invalid_unit_code naming the rule", arguments: invalid)
    func strict_refusesMalformedCode(_ row: Invalid) {
        let error = #expect(throws: LGSPError.self) { try UnitCode(strict: row.text) }
        #expect(error?.code == .invalidUnitCode)
        #expect(error?.field == "code")
        #expect(error?.message.contains("'\(row.text)' is not a valid QCVN 102:2016 unit code") == true)
        #expect(error?.message.contains(row.reason) == true, "message: \(error?.message ?? "none")")
    }

    @Test("a code strict parsing accepts reads back identically through lenient parsing", arguments: valid)
    func strict_agreesWithLenientOnCanonicalCodes(_ row: Valid) throws {
        #expect(UnitCode(lenient: row.text) == (try UnitCode(strict: row.text)))
    }
}
