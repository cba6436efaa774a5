import Foundation
import LGSPCore
import Testing

@Suite("UnitPattern")
struct UnitPatternTests {
    @Test(
        "a pattern matches exactly the codes it covers",
        arguments: [
            // (pattern, code, matches)
            ("*", "000.00.00.H23", true),
            ("*", "123.12.05.G22", true),
            ("000.00.05.H24", "000.00.05.H24", true),
            ("000.00.05.H24", "000.12.05.H24", false),
            ("000.00.05.H24", "000.00.05.H23", false),
            ("05.h24", "000.00.05.H24", true),
            ("*.H24", "000.00.00.H24", true),
            ("*.H24", "000.00.05.H24", true),
            ("*.H24", "123.12.05.H24", true),
            ("*.H24", "000.00.05.H23", false),
            ("*.H24", "000.00.05.G24", false),
            ("*.h24", "000.12.05.H24", true),
            ("000.00.*.H24", "000.00.05.H24", true),
            ("000.00.*.H24", "000.00.00.H24", true),
            ("000.00.*.H24", "000.12.05.H24", false),
            ("000.00.*.H24", "000.00.05.H23", false),
            ("*.05.H24", "000.12.05.H24", true),
            ("*.05.H24", "000.12.06.H24", false),
            ("*.*.05.H24", "123.12.05.H24", true),
            ("*H2*", "000.00.05.H23", true),
            ("*H2*", "000.00.05.G22", false),
            ("*.H2", "000.00.05.H23", false),
        ])
    func matches_followsTheGlob(pattern: String, code: String, expected: Bool) throws {
        let unitPattern = try UnitPattern(pattern)
        #expect(unitPattern.matches(try UnitCode(strict: code)) == expected)
    }

    @Test(
        "a pattern keeps a normalised form",
        arguments: [
            ("*", "*"), (" * ", "*"), ("05.h24", "000.00.05.H24"), ("000.00.05.H24", "000.00.05.H24"),
            ("*.h24", "*.H24"),
            (" 000.00.*.H24 ", "000.00.*.H24"),
        ])
    func rawValue_isNormalised(text: String, rawValue: String) throws {
        let pattern = try UnitPattern(text)
        #expect(pattern.rawValue == rawValue)
        #expect(pattern.description == rawValue)
    }

    @Test(
        "an invalid pattern is refused with directory.invalid_pattern naming the text",
        arguments: [
            "", "abc", "H24", "1.2.3.4.H23", "*.H2?", "000.00.[0-9]*.H24", "*,H24", "*.H24;", "* .H24", "%.H24",
            "*.H\u{0662}4",
        ])
    func init_refusesInvalidPattern(text: String) {
        let error = #expect(throws: LGSPError.self) { try UnitPattern(text) }
        #expect(error?.code == .invalidPattern)
        #expect(error?.message.contains("'\(text)'") == true)
    }

    @Test("Codable writes the normalised pattern and refuses an invalid one when decoding")
    func codable_roundTripsAndValidates() throws {
        let pattern = try UnitPattern("*.h24")
        let data = try JSONEncoder().encode(pattern)
        #expect(String(decoding: data, as: UTF8.self) == #""*.H24""#)
        #expect(try JSONDecoder().decode(UnitPattern.self, from: data) == pattern)
        let error = #expect(throws: LGSPError.self) {
            try JSONDecoder().decode(UnitPattern.self, from: Data(#""a?b""#.utf8))
        }
        #expect(error?.code == .invalidPattern)
    }
}
