import Foundation
import LGSPCore
import LGSPTransform
import Testing

/// The validator's contract beyond the official suite: messages, local references, no network.
@Suite("JSON Schema: messages and references")
struct JSONSchemaTests {
    static func schema(_ text: String, uri: String = "file:///schemas/test.schema.json", extra: [(String, String)] = []) throws -> JSONSchema {
        var registry = JSONSchemaRegistry()
        registry.add(try JSONParser().parse(text), uri: uri)
        for (otherURI, other) in extra { registry.add(try JSONParser().parse(other), uri: otherURI) }
        return try JSONSchema(uri: uri, registry: registry)
    }

    @Test("a violation names the location, the problem and the keyword")
    func violation_namesLocationAndKeyword() throws {
        let schema = try Self.schema(#"{"type":"object","required":["id"],"properties":{"people":{"type":"array","items":{"properties":{"age":{"minimum":0}}}}}}"#)
        let error = #expect(throws: LGSPError.self) { try schema.validate(["people": [["age": -1]]], role: "input") }
        #expect(error?.code == .schemaViolation)
        #expect(error?.message == "the input does not satisfy test.schema.json: (root): the member id is required [required]; /people/0/age: must be at least 0 [minimum]")
        #expect(error?.details["location"] == "")
    }

    @Test("relative references between local files resolve; an unresolvable one is refused when the schema loads")
    func references_resolveLocallyOnly() throws {
        let common = #"{"$defs":{"code":{"type":"string","pattern":"^[0-9]{5}$"}}}"#
        let schema = try Self.schema(#"{"properties":{"commune":{"$ref":"common/types.json#/$defs/code"}}}"#,
                                     extra: [("file:///schemas/common/types.json", common)])
        #expect(try schema.issues(["commune": "10507"]).isEmpty)
        #expect(try schema.issues(["commune": "1050"]).first?.keyword == "pattern")
        let error = #expect(throws: LGSPError.self) { try Self.schema(#"{"$ref":"https://example.com/remote.json"}"#) }
        #expect(error?.code == .invalidSchema)
        #expect(error?.message.contains("https://example.com/remote.json") == true)
    }

    @Test("a schema that is neither an object nor a boolean is refused")
    func nonSchema_isRefused() throws {
        let schema = try Self.schema(#"{"properties":{"a":3}}"#)
        let error = #expect(throws: LGSPError.self) { try schema.issues(["a": 1]) }
        #expect(error?.code == .invalidSchema)
    }
}
