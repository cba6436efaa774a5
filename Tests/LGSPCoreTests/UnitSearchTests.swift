import Foundation
import LGSPCore
import Testing

@Suite("UnitSearch")
struct UnitSearchTests {
    static func top(_ text: String, in units: [Unit] = DirectoryFixtures.all) throws -> UnitSearch.Match? {
        UnitSearch.rank(units, for: try UnitSearchQuery(text)).first
    }

    @Test(
        "the best result is the unit meant, with or without diacritics, in any case, by abbreviation",
        arguments: [
            ("so tai chinh", "Sở Tài chính"),
            ("Sở Tài chính", "Sở Tài chính"),
            ("SO TAI CHINH", "Sở Tài chính"),
            ("tai chinh", "Sở Tài chính"),
            ("Sở TT&TT", "Sở Thông tin và Truyền thông"),
            ("so khcn", "Sở Khoa học và Công nghệ"),
            ("Sở VH-TT&DL", "Sở Văn hóa, Thể thao và Du lịch"),
            ("van hoa the thao", "Sở Văn hóa, Thể thao và Du lịch"),
            ("UBND Hải Phòng", "Ủy ban nhân dân thành phố Hải Phòng"),
            ("ủy ban nhân dân thành phố hải phòng", "Ủy ban nhân dân thành phố Hải Phòng"),
            ("hdnd tp hai phong", "Hội đồng nhân dân thành phố Hải Phòng"),
            ("VP UBND", "Văn phòng Ủy ban nhân dân thành phố"),
            ("hai an", "Phường Hải An"),
            ("an hai", "Phường An Hải"),
            ("dac khu cat hai", "Đặc khu Cát Hải"),
            ("bach long vi", "Đặc khu Bạch Long Vĩ"),
            ("nguyen binh khiem", "Xã Nguyễn Bỉnh Khiêm"),
            ("Thủy Nguyên", "Phường Thuỷ Nguyên"),
            ("le ich moc", "Phường Lê Ích Mộc"),
            ("do son", "Phường Đồ Sơn"),
        ])
    func bestResult(_ text: String, _ expected: String) throws {
        #expect(try Self.top(text)?.unit.name == expected)
    }

    @Test("each tier scores as documented: code > former code > code prefix > name > name prefix > words > word prefixes > substring")
    func tiers() throws {
        let merged = Unit(
            code: UnitCode(lenient: "000.00.12.H24")!, name: "Sở Khoa học và Công nghệ", createdAt: DirectoryFixtures.epoch,
            formerCodes: [UnitCode(lenient: "000.00.20.H24")!])
        func tier(_ text: String, _ unit: Unit) throws -> UnitSearch.Tier? {
            UnitSearch.score(unit, for: try UnitSearchQuery(text))?.tier
        }
        let haiAn = DirectoryFixtures.named("Phường Hải An")
        #expect(try tier("000.00.12.H24", merged) == .code)
        #expect(try tier("12.h24", merged) == .code)
        #expect(try tier("000.00.20.H24", merged) == .formerCode)
        #expect(try tier("000.00.1", merged) == .codePrefix)
        #expect(try tier("H24", merged) == .codePrefix)
        #expect(try tier("000.00.00.H24", merged) == .codePrefix)  // an ancestor's code
        #expect(try tier("000.00.13.H24", merged) == nil)
        #expect(try tier("phuong hai an", haiAn) == .name)
        #expect(try tier("hai an", haiAn) == .name)  // without the type word
        #expect(try tier("phuong hai", haiAn) == .namePrefix)
        #expect(try tier("an phuong", haiAn) == .words)
        #expect(try tier("ph ha", haiAn) == .wordPrefixes)
        #expect(try tier("uong ai", haiAn) == .substring)
        #expect(try tier("hai duong", haiAn) == nil)
        let points = UnitSearch.Tier.allCases.filter { $0 != .formerName }.map(\.points)
        #expect(points == points.sorted(by: >))
    }

    @Test("a unit is also found by its former name, below the same match on a current name")
    func formerNames() throws {
        let renamed = Unit(
            code: UnitCode(lenient: "000.00.12.H24")!, name: "Sở Khoa học và Công nghệ", createdAt: DirectoryFixtures.epoch,
            formerNames: ["Sở Thông tin và Truyền thông"])
        let match = try #require(UnitSearch.score(renamed, for: try UnitSearchQuery("Sở TT&TT")))
        #expect(match.tier == .formerName)
        #expect(match.score == UnitSearch.Tier.name.points - UnitSearch.formerNamePenalty)
        let current = try #require(UnitSearch.score(renamed, for: try UnitSearchQuery("so khoa hoc")))
        #expect(current.tier == .namePrefix)
    }

    @Test("typed accents decide between names that fold alike (Cẩm Giang, Cẩm Giàng); none typed, both rank alike")
    func accentsBreakTies() throws {
        let ranked = { (text: String) in UnitSearch.rank(DirectoryFixtures.wards, for: try UnitSearchQuery(text)).prefix(2).map(\.unit.name) }
        #expect(try ranked("Cẩm Giàng") == ["Xã Cẩm Giàng", "Xã Cẩm Giang"])
        #expect(try ranked("Cẩm Giang") == ["Xã Cẩm Giang", "Xã Cẩm Giàng"])
        let plain = UnitSearch.rank(DirectoryFixtures.wards, for: try UnitSearchQuery("cam giang"))
        #expect(plain.count == 2 && plain[0].score == plain[1].score)
        // The tone mark's placement is not an accent difference: Hòa finds Hoà with the bonus.
        let hoa = try #require(try Self.top("Hòa Bình", in: DirectoryFixtures.wards))
        #expect(hoa.unit.name == "Phường Hoà Bình" && hoa.score == UnitSearch.Tier.name.points + UnitSearch.accentBonus)
    }

    @Test("ties go to active units, then shorter names, then codes")
    func tieBreaks() throws {
        let old = DirectoryFixtures.unit("000.00.30.H24", "Sở Y tế", status: .inactive)
        let ranked = UnitSearch.rank([old, DirectoryFixtures.named("Sở Y tế")], for: try UnitSearchQuery("so y te"))
        #expect(ranked.map(\.unit.status) == [.active, .inactive])
        let kien = UnitSearch.rank(DirectoryFixtures.wards, for: try UnitSearchQuery("kien"))
        // All name prefixes: shorter names (without their type word) first, then codes in order.
        #expect(kien.map(\.unit.name) == ["Phường Kiến An", "Xã Kiến Hải", "Xã Kiến Thuỵ", "Xã Kiến Minh", "Xã Kiến Hưng"])
        #expect(Set(kien.map(\.tier)) == [.namePrefix])
    }

    @Test("a code query finds units by code prefix and level-1 group, best tier first")
    func codeQueries() throws {
        let all = DirectoryFixtures.all
        #expect(UnitSearch.rank(all, for: try UnitSearchQuery("H24")).count == all.count)
        let wards = UnitSearch.rank(all, for: try UnitSearchQuery("000.01.90"))
        #expect(wards.map(\.unit.name) == ["Phường Thành Đông"])
        let children = UnitSearch.rank(all, for: try UnitSearchQuery("000.00.91.H24"))
        #expect(children.count == DirectoryFixtures.wards.count - 99)
        #expect(try Self.top("05.H24")?.unit.name == "Sở Tài chính")
    }

    @Test(
        "queries with nothing to search are refused with request.invalid_query",
        arguments: ["", "   ", "&&", "—"])
    func emptyQueries(_ text: String) {
        let error = #expect(throws: LGSPError.self) { try UnitSearchQuery(text) }
        #expect(error?.code == .invalidQuery && error?.field == "q")
    }
}
