import Foundation
import LGSPCore
import LGSPTransform
import Testing

@Suite("Catalogues")
struct CatalogueTests {
    static let library: CatalogueLibrary = try! CatalogueLibrary(folder: Fixtures.packageRoot.appendingPathComponent("mappings/catalogues"))

    @Test("the shipped catalogues have the national sizes")
    func shipped_haveNationalSizes() throws {
        let ethnic = try #require(Self.library["ethnic-group"])
        #expect(ethnic.rows.count == 54)
        let units = try #require(Self.library["admin-unit-2025"])
        #expect(units.rows.filter { $0[3] == "province" }.count == 34)
        #expect(units.rows.filter { $0[3] == "commune" }.count == 3321)
        let crosswalk = try #require(Self.library["commune-crosswalk-2025"])
        #expect(Set(crosswalk.rows.map { $0[0] }).count == 10047)
        // Phường Trần Phú (old Hải Dương) was split in two.
        #expect(crosswalk.rows(where: "old_code", is: "10528", fuzzy: false).count == 2)
        #expect(Self.library["province-crosswalk-2025"]?.rows.count == 63)
    }

    @Test("names match loosely: case, diacritics, punctuation and aliases", arguments: [
        ("Kinh", "01"), ("KINH", "01"), ("h'mông", "08"), ("Mông", "08"), ("Ê Đê", "12"), ("ede", "12"), ("Khmer", "05"), ("Bru Vân Kiều", "23"),
    ])
    func names_matchLoosely(name: String, code: String) throws {
        let ethnic = try #require(Self.library["ethnic-group"])
        let rows = ethnic.rows(where: "name", is: name, fuzzy: true)
        #expect(rows.count == 1)
        #expect(rows.first.flatMap { ethnic.value(row: $0, column: "code") } == code)
    }

    @Test("codes match exactly")
    func codes_matchExactly() throws {
        let ethnic = try #require(Self.library["ethnic-group"])
        #expect(ethnic.rows(where: "code", is: "1", fuzzy: false).isEmpty)
        #expect(ethnic.rows(where: "code", is: " 01 ", fuzzy: false).count == 1)
    }

    @Test("CSV quoting, CRLF and errors with their line")
    func csv_quotingAndErrors() throws {
        let catalogue = try Catalogue(name: "t", csv: "code,name\r\n1,\"A, \"\"quoted\"\"\nname\"\r\n2,B\r\n", file: "t.csv")
        #expect(catalogue.rows == [["1", "A, \"quoted\"\nname"], ["2", "B"]])
        let ragged = #expect(throws: LGSPError.self) { try Catalogue(name: "t", csv: "code,name\n1,A\n2\n", file: "t.csv") }
        #expect(ragged?.message.contains("row 3") == true)
        let open = #expect(throws: LGSPError.self) { try Catalogue(name: "t", csv: "code,name\n1,\"A\n", file: "t.csv") }
        #expect(open?.code == .invalidMapping)
    }

    @Test("the version is the content's SHA-256")
    func version_isContentDigest() throws {
        let a = try Catalogue(name: "t", csv: "code\n1\n", file: "t.csv")
        let b = try Catalogue(name: "t", csv: "code\n2\n", file: "t.csv")
        #expect(a.version.count == 64 && a.version != b.version)
    }
}
