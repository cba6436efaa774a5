import Foundation
import LGSPCore
import Testing

/// The search and reorganisation part of the `DirectoryStore` contract.
extension DirectoryStoreConformance {
    static func code(_ text: String) -> UnitCode { UnitCode(lenient: text)! }

    /// Hải Phòng in 2025: the city, departments and wards, with real names.
    static func addDirectory(_ store: any DirectoryStore) async throws {
        for (code, name) in [
            ("000.00.00.H24", "Ủy ban nhân dân thành phố Hải Phòng"), ("000.00.05.H24", "Sở Tài chính"),
            ("000.00.12.H24", "Sở Khoa học và Công nghệ"), ("000.00.20.H24", "Sở Thông tin và Truyền thông"),
            ("000.00.31.H24", "UBND Phường Hải An"), ("000.00.32.H24", "Phường An Hải"), ("000.01.31.H24", "Văn phòng UBND phường Hải An"),
            ("000.00.40.H24", "Xã Cẩm Giang"), ("000.00.41.H24", "Xã Cẩm Giàng"), ("000.00.00.H26", "Ủy ban nhân dân thành phố Hà Nội"),
        ] {
            try await store.addUnit(Fixtures.unit(code, name))
        }
    }

    static func found(_ store: any DirectoryStore, _ text: String) async throws -> Set<String> {
        Set(try await store.units(matching: try UnitSearchQuery(text)).map(\.code.rawValue))
    }

    static let searchChecks: [ConformanceCheck<StoreFixture>] = [
        .init("search finds names without diacritics or case, and through abbreviations on either side") { fixture in
            let store = fixture.directory
            try await addDirectory(store)
            #expect(try await found(store, "so tai chinh") == ["000.00.05.H24"])
            #expect(try await found(store, "SỞ TÀI CHÍNH") == ["000.00.05.H24"])
            #expect(try await found(store, "Sở TT&TT") == ["000.00.20.H24"])
            #expect(try await found(store, "cam giang") == ["000.00.40.H24", "000.00.41.H24"])
            // Every word must match; a word may match inside another ("an" in "nhân dân"): the substring tier.
            #expect(try await found(store, "ủy ban nhân dân hải an") == ["000.00.31.H24", "000.01.31.H24", "000.00.00.H24"])
            #expect(try await found(store, "UBND Hải Phòng") == ["000.00.00.H24", "000.01.31.H24"])
            #expect(try await found(store, "hai an") == ["000.00.31.H24", "000.00.32.H24", "000.01.31.H24", "000.00.00.H24"])
            #expect(try await found(store, "nguyen trai").isEmpty)
        },
        .init("search finds codes exactly, by prefix, by level-1 group and below an ancestor") { fixture in
            let store = fixture.directory
            try await addDirectory(store)
            #expect(try await found(store, "000.00.05.H24") == ["000.00.05.H24"])
            #expect(try await found(store, "05.h24") == ["000.00.05.H24"])
            #expect(try await found(store, "000.00.3") == ["000.00.31.H24", "000.00.32.H24"])
            #expect(try await found(store, "H26") == ["000.00.00.H26"])
            #expect(try await found(store, "000.00.31.H24") == ["000.00.31.H24", "000.01.31.H24"])
            #expect(try await found(store, "H24").count == 9)
        },
        .init("search results rank as UnitSearch says: exact name first, accents breaking ties") { fixture in
            let store = fixture.directory
            try await addDirectory(store)
            let query = try UnitSearchQuery("Cẩm Giàng")
            let ranked = UnitSearch.rank(try await store.units(matching: query), for: query)
            #expect(ranked.map(\.unit.code.rawValue) == ["000.00.41.H24", "000.00.40.H24"])
            let haiAn = try UnitSearchQuery("hai an")
            #expect(UnitSearch.rank(try await store.units(matching: haiAn), for: haiAn).first?.unit.code.rawValue == "000.00.31.H24")
        },
        .init("a rename keeps the former name, which search still finds; renaming to the same name changes nothing") { fixture in
            let store = fixture.directory
            try await addDirectory(store)
            try await store.renameUnit(code("000.00.12.H24"), to: "Sở Khoa học, Công nghệ và Truyền thông")
            try await store.renameUnit(code("000.00.12.H24"), to: "Sở Khoa học, Công nghệ và Truyền thông")
            let unit = try #require(try await store.unit(code("000.00.12.H24")))
            #expect(unit.name == "Sở Khoa học, Công nghệ và Truyền thông")
            #expect(unit.formerNames == ["Sở Khoa học và Công nghệ"])
            #expect(try await found(store, "so khoa hoc va cong nghe") == ["000.00.12.H24"])
            #expect(try await found(store, "cong nghe va truyen thong") == ["000.00.12.H24"])
            let error = await #expect(throws: LGSPError.self) { try await store.renameUnit(code("000.00.99.H24"), to: "Không có") }
            #expect(error?.code == .unknownUnit)
        },
        .init("a replacement makes the unit inactive with its ordered successors, who list its code as former") { fixture in
            let store = fixture.directory
            try await addDirectory(store)
            let effective = Fixtures.epoch.addingTimeInterval(86400)
            try await store.replaceUnit(code("000.00.20.H24"), with: UnitReplacement(successors: [code("000.00.12.H24")], reason: .merge, effective: effective))
            try await store.replaceUnit(
                code("000.00.31.H24"), with: UnitReplacement(successors: [code("000.00.32.H24"), code("000.00.00.H24")], reason: .split, effective: effective))
            let merged = try #require(try await store.unit(code("000.00.20.H24")))
            #expect(merged.status == .inactive)
            #expect(merged.replacement == UnitReplacement(successors: [code("000.00.12.H24")], reason: .merge, effective: effective))
            #expect(try await store.unit(code("000.00.31.H24"))?.replacement?.successors == [code("000.00.32.H24"), code("000.00.00.H24")])
            #expect(try await store.unit(code("000.00.12.H24"))?.formerCodes == [code("000.00.20.H24")])
            #expect(try await store.units().first { $0.code == code("000.00.32.H24") }?.formerCodes == [code("000.00.31.H24")])
            // The old code finds the unit that replaced it too.
            #expect(try await found(store, "000.00.20.H24") == ["000.00.20.H24", "000.00.12.H24"])
            let matched = try await store.units(matching: try UnitSearchQuery("000.00.20.H24"))
            #expect(matched.first { $0.code == code("000.00.12.H24") }?.formerCodes == [code("000.00.20.H24")])
        },
        .init("a dissolution keeps its reason and date without successors") { fixture in
            let store = fixture.directory
            try await addDirectory(store)
            try await store.replaceUnit(code("000.00.40.H24"), with: UnitReplacement(successors: [], reason: .dissolve, effective: Fixtures.epoch))
            let unit = try #require(try await store.unit(code("000.00.40.H24")))
            #expect(unit.status == .inactive)
            #expect(unit.replacement == UnitReplacement(successors: [], reason: .dissolve, effective: Fixtures.epoch))
        },
        .init("replacing an inactive or unknown unit, or by one, is refused and changes nothing") { fixture in
            let store = fixture.directory
            try await addDirectory(store)
            let merge = { (to: String) in UnitReplacement(successors: [code(to)], reason: .merge, effective: Fixtures.epoch) }
            try await store.replaceUnit(code("000.00.20.H24"), with: merge("000.00.12.H24"))
            var error = await #expect(throws: LGSPError.self) { try await store.replaceUnit(code("000.00.20.H24"), with: merge("000.00.05.H24")) }
            #expect(error?.code == .unitInactive)
            error = await #expect(throws: LGSPError.self) { try await store.replaceUnit(code("000.00.05.H24"), with: merge("000.00.20.H24")) }
            #expect(error?.code == .unitInactive)
            error = await #expect(throws: LGSPError.self) { try await store.replaceUnit(code("000.00.05.H24"), with: merge("000.00.99.H24")) }
            #expect(error?.code == .unknownUnit)
            error = await #expect(throws: LGSPError.self) { try await store.replaceUnit(code("000.00.99.H24"), with: merge("000.00.05.H24")) }
            #expect(error?.code == .unknownUnit)
            let unchanged = try #require(try await store.unit(code("000.00.05.H24")))
            #expect(unchanged.status == .active && unchanged.replacement == nil)
            #expect(try await store.unit(code("000.00.20.H24"))?.replacement?.successors == [code("000.00.12.H24")])
        },
    ]
}
