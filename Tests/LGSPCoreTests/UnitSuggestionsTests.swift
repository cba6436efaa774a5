import Foundation
import LGSPCore
import Testing

@Suite("UnitSuggestions")
struct UnitSuggestionsTests {
    @Test("a mistyped code suggests the nearest active codes, nearest first, at most five")
    func nearestCodes() throws {
        let typo = try #require(UnitCode(lenient: "000.00.55.H24"))
        let near = UnitSuggestions.near(typo, among: DirectoryFixtures.departments)
        #expect(near.prefix(2).map(\.name) == ["Sở Tài chính", "Thanh tra thành phố"])  // 05 and 15: one edit each
        #expect(near.count == UnitSuggestions.limit)
        #expect(!near.contains { $0.status == .inactive })
        let one = UnitSuggestions.near(try #require(UnitCode(lenient: "000.00.16.H24")), among: DirectoryFixtures.departments)
        #expect(one.prefix(2).map(\.code.rawValue) == ["000.00.06.H24", "000.00.10.H24"])
    }

    @Test("a mistyped level-1 group is still found through the code's head, and far codes are not suggested")
    func levelOneTypo() throws {
        let queries = UnitSuggestions.candidateQueries(for: try #require(UnitCode(lenient: "000.00.05.H42")))
        #expect(queries.map(\.text) == ["H42", "000.00.05"])
        let candidates = DirectoryFixtures.all.filter { unit in queries.contains { $0.matches(unit) } }
        #expect(candidates.map(\.name) == ["Sở Tài chính"])
        #expect(UnitSuggestions.near(try #require(UnitCode(lenient: "999.99.99.G01")), among: DirectoryFixtures.all).isEmpty)
    }

    @Test("details list one unit per line: code, space, name")
    func detail() {
        let text = UnitSuggestions.detail(Array(DirectoryFixtures.departments.prefix(2)))
        #expect(text == "000.00.00.H24 Ủy ban nhân dân thành phố Hải Phòng\n000.00.01.H24 Văn phòng Ủy ban nhân dân thành phố")
    }
}

@Suite("UnitRoute")
struct UnitRouteTests {
    static func code(_ text: String) -> UnitCode { UnitCode(lenient: text)! }

    static func replaced(_ code: String, _ name: String, by successors: [String], _ reason: ReorganisationReason) -> Unit {
        Unit(
            code: Self.code(code), name: name, status: .inactive, createdAt: DirectoryFixtures.epoch,
            replacement: UnitReplacement(successors: successors.map(Self.code), reason: reason, effective: DirectoryFixtures.epoch))
    }

    /// 2025: Sở TT&TT merged into Sở KH&CN; Sở KH&ĐT merged into Sở Tài chính, which was then recoded;
    /// a test unit split in two; another dissolved.
    static let directory: [UnitCode: Unit] = Dictionary(
        uniqueKeysWithValues: [
            DirectoryFixtures.unit("000.00.12.H24", "Sở Khoa học và Công nghệ"),
            replaced("000.00.20.H24", "Sở Thông tin và Truyền thông", by: ["000.00.12.H24"], .merge),
            replaced("000.00.21.H24", "Sở Kế hoạch và Đầu tư", by: ["000.00.05.H24"], .merge),
            replaced("000.00.05.H24", "Sở Tài chính", by: ["000.00.25.H24"], .recode),
            DirectoryFixtures.unit("000.00.25.H24", "Sở Tài chính"),
            replaced("000.00.30.H24", "Sở Nông nghiệp và Phát triển nông thôn", by: ["000.00.13.H24", "000.00.08.H24"], .split),
            DirectoryFixtures.unit("000.00.13.H24", "Sở Nông nghiệp và Môi trường"),
            DirectoryFixtures.unit("000.00.08.H24", "Sở Xây dựng"),
            replaced("000.00.31.H24", "Ban Quản lý dự án", by: [], .dissolve),
            replaced("000.00.40.H24", "Đơn vị lỗi A", by: ["000.00.41.H24"], .recode),
            replaced("000.00.41.H24", "Đơn vị lỗi B", by: ["000.00.40.H24"], .recode),
        ].map { ($0.code, $0) })

    static func route(_ text: String) async throws -> UnitRoute {
        try await UnitRoute.resolve(code(text)) { directory[$0] }
    }

    @Test("an active unit routes to itself; an unknown code is unknown")
    func current() async throws {
        #expect(try await Self.route("000.00.12.H24") == .current(Self.directory[Self.code("000.00.12.H24")]!))
        #expect(try await Self.route("000.00.99.H24") == .unknown)
    }

    @Test("a merged unit routes to its successor, with the reason")
    func merged() async throws {
        let route = try await Self.route("000.00.20.H24")
        #expect(route == .redirected(Self.directory[Self.code("000.00.12.H24")]!, RecipientRedirect(from: Self.code("000.00.20.H24"), to: Self.code("000.00.12.H24"), reason: .merge)))
    }

    @Test("a chain of replacements is followed to the current unit, the codes passed listed in via")
    func chain() async throws {
        guard case .redirected(let unit, let redirect) = try await Self.route("000.00.21.H24") else {
            Issue.record("not redirected")
            return
        }
        #expect(unit.code == Self.code("000.00.25.H24"))
        #expect(redirect == RecipientRedirect(from: Self.code("000.00.21.H24"), to: Self.code("000.00.25.H24"), reason: .merge, via: [Self.code("000.00.05.H24")]))
    }

    @Test("a split unit is not routed: its successors are returned")
    func split() async throws {
        guard case .split(let old, let successors) = try await Self.route("000.00.30.H24") else {
            Issue.record("not a split")
            return
        }
        #expect(old.code == Self.code("000.00.30.H24"))
        #expect(successors.map(\.name) == ["Sở Nông nghiệp và Môi trường", "Sở Xây dựng"])
    }

    @Test("a dissolved unit, or a cycle in damaged data, is a dead end")
    func deadEnds() async throws {
        guard case .inactive(let dissolved) = try await Self.route("000.00.31.H24") else {
            Issue.record("not inactive")
            return
        }
        #expect(dissolved.name == "Ban Quản lý dự án")
        guard case .inactive = try await Self.route("000.00.40.H24") else {
            Issue.record("a cycle must end")
            return
        }
    }
}
