import Foundation
import LGSPCore
import Testing

@Suite("PacketID")
struct PacketIDTests {
    @Test("generate gives a lowercase UUID of version 7 with the RFC 9562 variant")
    func generate_isUUIDv7() throws {
        for _ in 0..<100 {
            let id = PacketID.generate()
            let text = Array(id.rawValue)
            #expect(text.count == 36)
            #expect(id.rawValue == id.rawValue.lowercased())
            #expect(text[14] == "7")
            #expect("89ab".contains(text[19]))
            #expect(PacketID(id.rawValue) == id)
        }
    }

    @Test("the first 48 bits are the Unix time in milliseconds")
    func generate_embedsMilliseconds() throws {
        let date = Date(timeIntervalSince1970: 1_764_405_000.1235)
        let id = PacketID.generate(at: date)
        let timeHex = id.rawValue.replacingOccurrences(of: "-", with: "").prefix(12)
        #expect(UInt64(timeHex, radix: 16) == 1_764_405_000_123)
    }

    @Test("ids generated in later milliseconds sort after earlier ones")
    func generate_isTimeOrdered() {
        let start = Date(timeIntervalSince1970: 1_764_405_000)
        var previous = PacketID.generate(at: start)
        for step in 1...500 {
            let next = PacketID.generate(at: start.addingTimeInterval(Double(step) / 1000 + 0.0001))
            #expect(previous < next, "\(previous) then \(next)")
            previous = next
        }
    }

    @Test("generated ids are unique")
    func generate_isUnique() {
        let date = Date()
        let ids = Set((0..<1000).map { _ in PacketID.generate(at: date) })
        #expect(ids.count == 1000)
    }

    @Test("parsing keeps the lowercase canonical form of any UUID")
    func init_acceptsUUIDText() throws {
        let id = try #require(PacketID("0190F1B2-7C3D-7A4E-8F00-0123456789AB"))
        #expect(id.rawValue == "0190f1b2-7c3d-7a4e-8f00-0123456789ab")
        #expect(id.description == id.rawValue)
    }

    @Test(
        "parsing rejects text that is not a UUID",
        arguments: [
            "", "not-a-uuid", "0190f1b2-7c3d-7a4e-8f00-0123456789a", "0190f1b2-7c3d-7a4e-8f00-0123456789abc",
            "0190f1b2-7c3d-7a4e-8f00-0123456789ag", "0190f1b2_7c3d_7a4e_8f00_0123456789ab", "null",
        ])
    func init_rejectsNonUUID(text: String) {
        #expect(PacketID(text) == nil)
    }

    @Test("Codable writes the canonical text and refuses garbage")
    func codable_roundTrips() throws {
        let id = PacketID.generate()
        let data = try JSONEncoder().encode(id)
        #expect(String(decoding: data, as: UTF8.self) == "\"\(id.rawValue)\"")
        #expect(try JSONDecoder().decode(PacketID.self, from: data) == id)
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(PacketID.self, from: Data(#""x""#.utf8)) }
    }
}
