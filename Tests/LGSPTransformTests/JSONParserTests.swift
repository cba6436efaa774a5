import Foundation
import LGSPCore
import LGSPTransform
import Testing

@Suite("JSON parser and serializer")
struct JSONParserTests {
    @Test("a document round-trips, keeping member order")
    func document_roundTrips() throws {
        let text = #"{"b":1,"a":[true,false,null,-1.5,"x\ny\u00e9\ud83d\ude00"],"c":{}}"#
        let value = try JSONParser().parse(text)
        #expect(value.objectValue?.keys == ["b", "a", "c"])
        #expect(JSONSerializer.string(value) == #"{"b":1,"a":[true,false,null,-1.5,"x\nyé😀"],"c":{}}"#)
        #expect(try JSONParser().parse(JSONSerializer.string(value, pretty: true)) == value)
    }

    @Test("malformed JSON is refused with line and column", arguments: [
        ("{\n  \"a\": 01\n}", 2), ("[1,]", 1), ("{\"a\" 1}", 1), ("\"abc", 1), ("[1] x", 1), ("{\"a\":tru}", 1), ("", 1),
        ("\"\\ud800\"", 1),
    ])
    func malformed_isRefused(text: String, line: Int) {
        let error = #expect(throws: LGSPError.self) { try JSONParser().parse(text) }
        #expect(error?.code == .malformedContent)
        if !text.isEmpty { #expect(error?.details["line"] == "\(line)", "\(String(describing: error))") }
    }

    @Test("nesting deeper than the limit is refused")
    func deepNesting_isRefused() {
        let error = #expect(throws: LGSPError.self) { try JSONParser(maxDepth: 10).parse(String(repeating: "[", count: 11) + String(repeating: "]", count: 11)) }
        #expect(error?.code == .contentLimitExceeded)
        #expect(throws: Never.self) { try JSONParser(maxDepth: 10).parse(String(repeating: "[", count: 10) + String(repeating: "]", count: 10)) }
    }

    @Test("integral numbers are written without a fraction; strings compare by code points")
    func numbersAndStrings() {
        #expect(JSONSerializer.string([1.0, 2.5, 1e21, -0.0]) == "[1,2.5,1e+21,0]")
        #expect(JSONValue.string("\u{F1}") != JSONValue.string("n\u{303}"))
        #expect(JSONValue(dictionaryLiteral: ("a", 1), ("b", 2)) == JSONValue(dictionaryLiteral: ("b", 2), ("a", 1)))
    }
}
