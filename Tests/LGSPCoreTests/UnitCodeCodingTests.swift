import Foundation
import LGSPCore
import Testing

@Suite("UnitCode Codable")
struct UnitCodeCodingTests {
    @Test("encoding writes the canonical text as a JSON string")
    func encode_writesCanonicalText() throws {
        let code = try UnitCode(strict: "000.12.05.H24")
        let data = try JSONEncoder().encode([code])
        #expect(String(decoding: data, as: UTF8.self) == #"["000.12.05.H24"]"#)
    }

    @Test(
        "decoding what was encoded gives back the same code",
        arguments: ["000.00.00.H23", "123.12.05.H24", "000.00.01.G22"])
    func roundTrip_preservesCode(text: String) throws {
        let code = try UnitCode(strict: text)
        let decoded = try JSONDecoder().decode(UnitCode.self, from: JSONEncoder().encode(code))
        #expect(decoded == code)
    }

    @Test("decoding canonicalises a noisy code seen in traffic")
    func decode_canonicalisesNoisyCode() throws {
        let decoded = try JSONDecoder().decode(UnitCode.self, from: Data(#""01.02.g22""#.utf8))
        #expect(decoded.rawValue == "000.01.02.G22")
    }

    @Test(
        "decoding text that is no unit code fails",
        arguments: [#""null""#, #""""#, #""abc""#, "42", "null", #""1.2.3.4.H23""#])
    func decode_refusesGarbage(json: String) {
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(UnitCode.self, from: Data(json.utf8)) }
    }
}
