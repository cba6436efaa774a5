import LGSPCore
import Testing

@Suite("UnitCode hierarchy and ordering")
struct UnitCodeTests {
    @Test(
        "level is the deepest non-zero group",
        arguments: [
            ("000.00.00.H23", 1), ("000.00.05.H24", 2), ("000.12.05.H24", 3), ("123.12.05.H24", 4),
            ("123.00.00.G22", 4),
        ])
    func level_isDeepestNonZeroGroup(text: String, level: Int) throws {
        #expect(try #require(UnitCode(lenient: text)).level == level)
    }

    @Test(
        "parent is one level up, nil at level 1",
        arguments: [
            ("123.12.05.H24", "000.12.05.H24"), ("000.12.05.H24", "000.00.05.H24"), ("000.00.05.H24", "000.00.00.H24"),
            ("000.00.00.H24", nil),
        ] as [(String, String?)])
    func parent_isOneLevelUp(text: String, parent: String?) throws {
        let code = try UnitCode(strict: text)
        #expect(code.parent?.rawValue == parent)
    }

    @Test(
        "root is the level-1 code",
        arguments: ["123.12.05.H24", "000.12.05.H24", "000.00.05.H24", "000.00.00.H24"])
    func root_isLevel1Code(text: String) throws {
        let code = try UnitCode(strict: text)
        #expect(code.root.rawValue == "000.00.00.H24")
        #expect(code.root.level == 1)
    }

    @Test("following parents from any code reaches the root in level-1 steps")
    func parentChain_endsAtRoot() throws {
        var code: UnitCode? = try UnitCode(strict: "123.12.05.H24")
        var chain: [String] = []
        while let current = code {
            chain.append(current.rawValue)
            code = current.parent
        }
        #expect(chain == ["123.12.05.H24", "000.12.05.H24", "000.00.05.H24", "000.00.00.H24"])
    }

    @Test("codes sort by level 1, then level 2, 3, 4, so a unit precedes its children")
    func ordering_isHierarchical() throws {
        let sorted = [
            "000.00.00.G22", "000.00.00.H23", "000.00.01.H23", "000.01.01.H23", "001.01.01.H23", "000.02.01.H23",
            "000.00.02.H23", "000.00.10.H23", "000.00.00.H24",
        ]
        let codes = try sorted.reversed().map { try UnitCode(strict: $0) }
        #expect(codes.sorted().map(\.rawValue) == sorted)
        #expect(try UnitCode(strict: "000.00.05.H23") < UnitCode(strict: "000.00.00.H24"))
        #expect(!(try UnitCode(strict: "000.00.05.H23") < UnitCode(strict: "000.00.05.H23")))
    }

    @Test("equal codes are equal and hash alike whatever text they were read from")
    func equality_ignoresSpelling() throws {
        let a = try #require(UnitCode(lenient: "01.02.G22"))
        let b = try UnitCode(strict: "000.01.02.G22")
        #expect(a == b)
        #expect(Set([a, b]).count == 1)
    }
}
