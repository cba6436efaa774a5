import Foundation
import LGSPCore
import LGSPTransform
import Testing

/// Hostile documents (XXE, entity bombs, deep nesting, huge attributes) are refused quickly with
/// clear errors; each one is a file in Tests/Fixtures/xml/hostile/ with its expected code.
@Suite("Safe XML: hostile fixtures")
struct SafeXMLParserHostileTests {
    static let expectations: [String: String] = {
        let data = try! Fixtures.data("xml/hostile/expectations.json")
        return try! JSONDecoder().decode([String: String].self, from: data)
    }()

    @Test("every hostile fixture has an expectation")
    func everyFixture_hasAnExpectation() throws {
        let files = try Fixtures.files(in: "xml/hostile", withExtension: "xml")
        #expect(Set(files) == Set(Self.expectations.keys))
    }

    @Test("a hostile document is refused quickly with its code", arguments: expectations.keys.sorted())
    func hostileDocument_isRefused(file: String) throws {
        let data = try Fixtures.data("xml/hostile/" + file)
        let started = ContinuousClock.now
        let error = #expect(throws: LGSPError.self) { try SafeXMLParser().parse(data, name: file) }
        let elapsed = ContinuousClock.now - started
        #expect(error?.code.rawValue == Self.expectations[file], "\(file): \(String(describing: error))")
        #expect((error?.message.count ?? 0) > 20)
        #expect(elapsed < .seconds(1), "\(file) took \(elapsed)")
    }

    @Test("an external entity is never read, even when its DOCTYPE comes after noise")
    func externalEntity_isNeverRead() throws {
        let document = "junk before\n<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY e SYSTEM \"file:///etc/hostname\">]><r>&e;</r>"
        let error = #expect(throws: LGSPError.self) { try SafeXMLParser().parse(document) }
        #expect(error?.code == .unsafeXML)
        #expect(error?.message.contains("DOCTYPE") == true)
    }

    @Test("a document over the size limit is refused before parsing")
    func oversizeDocument_isRefusedBeforeParsing() {
        let parser = SafeXMLParser(limits: XMLParseLimits(maxBytes: 100))
        let error = #expect(throws: LGSPError.self) { try parser.parse("<r>" + String(repeating: "x", count: 200) + "</r>") }
        #expect(error?.code == .contentLimitExceeded)
        #expect(error?.details["limit"] == "maxBytes=100")
    }

    @Test("the element count limit stops a flat flood of elements")
    func elementFlood_isRefused() {
        let parser = SafeXMLParser(limits: XMLParseLimits(maxElements: 1000))
        let error = #expect(throws: LGSPError.self) { try parser.parse("<r>" + String(repeating: "<i/>", count: 5000) + "</r>") }
        #expect(error?.code == .contentLimitExceeded)
        #expect(error?.details["limit"] == "maxElements=1000")
    }
}
