import Foundation
import LGSPCore
import LGSPTransform
import Testing

/// The mapping language rule by rule, on inline mappings (the shipped examples are tested by
/// ShippedMappingsTests through their own test files).
@Suite("Mapping language")
struct MappingLanguageTests {
    static let library: MappingLibrary = try! MappingLibrary(root: Fixtures.packageRoot)

    static func run(_ rules: String, _ input: JSONValue) throws -> JSONValue {
        let mapping = try library.loadMapping(text: "source: {format: json}\ntarget: {format: json}\nrules:\n" + rules, file: "inline.mapping.yaml")
        return try mapping.transform(json: input).value
    }

    @Test("functions convert values", arguments: [
        ("[trim]", "  a b  ", "a b"),
        ("[collapse-spaces]", " a   b ", "a b"),
        ("[upper]", "hà nội", "HÀ NỘI"),
        ("[capitalize]", "nguyễn THỊ minh", "Nguyễn Thị Minh"),
        ("[nfc]", "Vie\u{0323}\u{0302}t", "Việt"),
        ("[remove-diacritics]", "Đắk Lắk", "Dak Lak"),
        ("[{date: {from: dd/MM/yyyy, to: iso}}]", "29/02/2024", "2024-02-29"),
        ("[{date: {from: iso, to: yyyy/MM/dd}}]", "2015-09-30", "2015/09/30"),
        ("[{date: {from: [dd/MM/yyyy, d/M/yyyy], to: iso}}]", "1/2/1987", "1987-02-01"),
        ("[{date: {from: 'yyyy/MM/dd HH:mm:ss', to: iso-datetime}}]", "2015/09/30 10:15:00", "2015-09-30T10:15:00"),
        ("[{name: family}]", "Nguyễn Thị Minh Khai", "Nguyễn"),
        ("[{name: middle}]", "Nguyễn Thị Minh Khai", "Thị Minh"),
        ("[{name: given}]", "Nguyễn Thị Minh Khai", "Khai"),
        ("[{name: middle-given}]", "Nguyễn Thị Minh Khai", "Thị Minh Khai"),
        ("[{pad: 2}]", "1", "01"),
        ("[{pad: {width: 4, with: x}}]", "ab", "xxab"),
        ("[{replace: {pattern: '^0', with: '+84'}}]", "0912", "+84912"),
        ("[{map: {a: x}}]", "a", "x"),
        ("[{map: {values: {a: x}, unknown: pass}}]", "b", "b"),
        ("[{catalogue: {name: ethnic-group, match: name, return: code}}]", "tày", "02"),
        ("[{catalogue: {name: admin-unit-2025, return: full_name}}]", "31", "Thành phố Hải Phòng"),
        ("[{split: ','}, trim, {join: ' / '}]", "a , b,c", "a / b / c"),
    ])
    func function_converts(steps: String, input: String, expected: String) throws {
        let output = try Self.run("  - {target: v, source: s, apply: \(steps)}\n", ["s": .string(input)])
        #expect(output == ["v": .string(expected)])
    }

    @Test("coercions to number and boolean", arguments: [
        ("number", JSONValue.string("1.234.567,5"), JSONValue.number(1_234_567.5)),
        ("number", "2,5", 2.5),
        ("number", "1,234.5", 1234.5),
        ("integer", "42", 42),
        ("boolean", "Có", true),
        ("boolean", "không", false),
        ("boolean", "x", true),
        ("boolean", 0, false),
        ("string", 12, "12"),
    ])
    func coercion_converts(function: String, input: JSONValue, expected: JSONValue) throws {
        #expect(try Self.run("  - {target: v, source: s, apply: [\(function)]}\n", ["s": input]) == ["v": expected])
    }

    @Test("a value that cannot be converted fails naming the rule", arguments: [
        ("[{date: {from: dd/MM/yyyy, to: iso}}]", "31/04/2020"), ("[number]", "abc"), ("[integer]", "1.5"), ("[boolean]", "maybe"),
        ("[{map: {a: x}}]", "b"),
    ])
    func badValue_failsNamingTheRule(steps: String, input: String) {
        let error = #expect(throws: LGSPError.self) { try Self.run("  - {target: ok, value: 1}\n  - {target: v, source: s, apply: \(steps)}\n", ["s": .string(input)]) }
        #expect(error?.message.hasPrefix("inline.mapping.yaml:5: rule 2 (target v): ") == true, "\(String(describing: error))")
        #expect(error?.details["rule"] == "2")
    }

    @Test("constants, defaults, required values and missing sources")
    func constantsDefaultsRequired() throws {
        let rules = """
              - {target: country, value: VN}
              - {target: a.b, source: missing, default: 0}
              - {target: skipped, source: missing}
              - {target: nulls, source: isNull}
              - {target: list, source: [first, missing, last], apply: [{join: " "}]}
            """
        #expect(try Self.run(rules + "\n", ["first": "An", "last": "Bình", "isNull": nil]) == [
            "country": "VN", "a": ["b": 0], "list": "An Bình",
        ])
        let error = #expect(throws: LGSPError.self) { try Self.run("  - {target: id, source: so_cccd, required: true}\n", [:]) }
        #expect(error?.code == .ruleFailed)
        #expect(error?.message.contains("source so_cccd gives nothing") == true)
    }

    @Test("conditions choose rules", arguments: [
        (JSONValue(dictionaryLiteral: ("g", "Nam")), "m"), (JSONValue(dictionaryLiteral: ("g", "Nữ")), "f"),
        (JSONValue(dictionaryLiteral: ("g", "Khác"), ("n", "12")), "digits"), (JSONValue.object(JSONObject()), "none"),
    ] as [(JSONValue, String)])
    func conditions_chooseRules(input: JSONValue, expected: String) throws {
        let rules = """
              - {target: v, value: none}
              - {target: v, value: m, when: {source: g, equals: Nam}}
              - {target: v, value: f, when: {source: g, in: ["Nữ", "nu"]}}
              - {target: v, value: digits, when: {all: [{source: n, matches: "^[0-9]+$"}, {not: {source: g, exists: false}}]}}
            """
        #expect(try Self.run(rules + "\n", input) == ["v": .string(expected)])
    }

    @Test("for-each builds arrays from items, with a filter and paths to the root")
    func forEach_buildsArrays() throws {
        let rules = """
              - target: people
                for-each: members
                where: {source: age, exists: true}
                rules:
                  - {target: name, source: name, apply: [upper]}
                  - {target: household, source: $.id}
              - target: tags
                for-each: /labels
                rules:
                  - {target: ., source: ., apply: [lower]}
            """
        let input: JSONValue = ["id": "H1", "members": [["name": "an", "age": 3], ["name": "bình"]], "labels": ["A", "B"]]
        #expect(try Self.run(rules + "\n", input) == ["people": [["name": "AN", "household": "H1"]], "tags": ["a", "b"]])
    }

    @Test("a crosswalk lookup with ambiguity 'all' returns every candidate")
    func crosswalk_allCandidates() throws {
        let rules = "  - {target: v, source: s, catalogue: {name: commune-crosswalk-2025, match: old_code, return: new_code, ambiguous: all}}\n"
        #expect(try Self.run(rules, ["s": "10528"]) == ["v": ["10532", "10537"]])
    }

    @Test("unknown-code policies: fail, pass, default")
    func unknownCodePolicies() throws {
        func rule(_ policy: String) -> String { "  - {target: v, source: s, catalogue: {name: ethnic-group, match: name, unknown: \(policy)}}\n" }
        let error = #expect(throws: LGSPError.self) { try Self.run(rule("fail"), ["s": "Xyz"]) }
        #expect(error?.code == .unknownCode)
        #expect(error?.details["catalogue"] == "ethnic-group")
        #expect(error?.details["code"] == "Xyz")
        #expect(try Self.run(rule("pass"), ["s": "Xyz"]) == ["v": "Xyz"])
        #expect(try Self.run(rule("{default: \"00\"}"), ["s": "Xyz"]) == ["v": "00"])
    }

    @Test("mapping files are checked as they load", arguments: [
        ("  - {target: v}\n", "the rule needs 'source', 'value' or 'for-each'"),
        ("  - {target: v, source: a, value: 1}\n", "has both 'source' and 'value'"),
        ("  - {target: v, source: a, colour: red}\n", "unknown key 'colour'"),
        ("  - {target: v, source: 'a..b'}\n", "is not a valid source path"),
        ("  - {target: v, source: a, apply: [{date: {from: dd/MM, to: iso}}]}\n", "is not a date pattern"),
        ("  - {target: v, source: a, catalogue: {name: ethnic-group, match: colour}}\n", "has no column 'colour'"),
        ("  - {target: v, source: a, apply: [{name: nickname}]}\n", "unknown name part"),
        ("  - {target: v, for-each: a, source: b, rules: []}\n", "a for-each rule cannot have 'source'"),
    ])
    func invalidMapping_isRefused(rules: String, message: String) {
        let error = #expect(throws: LGSPError.self) { try Self.run(rules, [:]) }
        #expect(error?.message.contains(message) == true, "\(String(describing: error))")
        #expect(error?.details["line"] == "4")
    }

    @Test("date patterns are calendar-checked", arguments: [("29/02/2023", false), ("29/02/2000", true), ("29/02/1900", false), ("31/12/1999", true), ("1/1/2000", false)])
    func datePattern_checksCalendar(text: String, valid: Bool) throws {
        let pattern = try #require(DatePattern("dd/MM/yyyy"))
        #expect((pattern.parse(text) != nil) == valid)
    }
}
