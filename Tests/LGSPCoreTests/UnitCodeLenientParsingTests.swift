import LGSPCore
import Testing

/// `UnitCode(lenient:)`: codes read from incoming traffic, where real data is noisy.
@Suite("UnitCode lenient parsing")
struct UnitCodeLenientParsingTests {
    @Test(
        "lenient parsing canonicalises noisy codes",
        arguments: [
            ("000.00.00.H23", "000.00.00.H23"),
            ("01.02.G22", "000.01.02.G22"),
            ("05.H24", "000.00.05.H24"),
            ("999.010.01.H22", "999.10.01.H22"),
            (" 000.00.00.h23 ", "000.00.00.H23"),
            ("\t000.00.05.H24\n", "000.00.05.H24"),
            ("\r000.00.05.H24\r", "000.00.05.H24"),
            ("1.2.3.H23", "001.02.03.H23"),
            ("0.0.5.h24", "000.00.05.H24"),
        ])
    func lenient_canonicalises(text: String, canonical: String) throws {
        let code = try #require(UnitCode(lenient: text))
        #expect(code.rawValue == canonical)
    }

    @Test("lenient parsing trims a CRLF line ending (a code read from a Windows text file)")
    func lenient_trimsCRLF() {
        #expect(UnitCode(lenient: "000.00.05.H24\r\n")?.rawValue == "000.00.05.H24")
        #expect(UnitCode(lenient: "\r\n05.H24")?.rawValue == "000.00.05.H24")
    }

    @Test(
        "lenient parsing returns nil for text that holds no code",
        arguments: [
            "null", "", "   ", "abc", "H23", "1.2.3.4.H23", "1000.00.00.H23", "000.100.00.H23", "000.00.100.H23",
            "000.00.00.H2", "000.00.00.H234", "000.00.00.123", "000.0a.00.H23", "000..00.H23", "000.00.00.\u{00C9}23",
            "000.00.00.H23.", "000.00.00.H\u{0662}3",
        ])
    func lenient_returnsNilForNonCodes(text: String) {
        #expect(UnitCode(lenient: text) == nil)
    }
}
