import Foundation
import LGSPCore
import LGSPTransform
import Testing

@Suite("Safe XML: namespaces, XPath, serialisation, XSD")
struct SafeXMLTests {
    static let edXML = "http://www.mic.gov.vn/TBT/QCVN_102_2016"
    static let document = """
        <?xml version="1.0" encoding="UTF-8"?>
        <e:Envelope xmlns:e="\(edXML)" xmlns:x="urn:other">
          <e:To><e:OrganId>000.00.00.H23</e:OrganId></e:To>
          <e:To><e:OrganId>000.00.00.H24</e:OrganId></e:To>
          <x:Note lang="vi">Ghi chú &amp; đính kèm</x:Note>
        </e:Envelope>
        """

    @Test("XPath reads namespaced elements with the caller's prefixes")
    func xpath_bindsPrefixes() throws {
        let tree = try SafeXMLParser().parse(Self.document)
        let evaluator = XPathEvaluator(tree: tree, namespaces: ["edXML": Self.edXML, "o": "urn:other"])
        guard case .nodes(let nodes) = try evaluator.evaluate(try XPathExpression("//edXML:To/edXML:OrganId")) else {
            Issue.record("expected nodes")
            return
        }
        #expect(nodes.map(\.text) == ["000.00.00.H23", "000.00.00.H24"])
        #expect(nodes.first?.namespaceURI == Self.edXML)
        #expect(nodes.first?.line == 3)
        guard case .number(let count) = try evaluator.evaluate(try XPathExpression("count(//edXML:To)")) else { Issue.record("number"); return }
        #expect(count == 2)
        guard case .nodes(let notes) = try evaluator.evaluate(try XPathExpression("//o:Note/@lang")) else { Issue.record("nodes"); return }
        #expect(notes.first?.text == "vi")
    }

    @Test("an XPath that does not compile is a mapping error; an unbound prefix fails at evaluation")
    func xpath_errors() throws {
        let error = #expect(throws: LGSPError.self) { try XPathExpression("//a[") }
        #expect(error?.code == .invalidMapping)
        let tree = try SafeXMLParser().parse(Self.document)
        let unbound = #expect(throws: LGSPError.self) { try XPathEvaluator(tree: tree, namespaces: [:]).evaluate(try XPathExpression("//nope:To")) }
        #expect(unbound?.code == .ruleFailed)
    }

    @Test("serialisation keeps prefixes, escapes text and round-trips")
    func serialisation_roundTrips() throws {
        let tree = try SafeXMLParser().parse(Self.document)
        let text = tree.string()
        #expect(text.contains("<e:To><e:OrganId>000.00.00.H23</e:OrganId></e:To>"))
        #expect(text.contains("Ghi chú &amp; đính kèm"))
        #expect(try SafeXMLParser().parse(text).jsonValue == tree.jsonValue)
    }

    @Test("the writer emits the declared prefixes exactly, attributes and repeated elements")
    func writer_emitsPrefixes() throws {
        let value: JSONValue = ["edXML:Root": ["@id": "7", "edXML:To": [["edXML:OrganId": "A"], ["edXML:OrganId": "B"]], "Plain": "x < y"]]
        let tree = try XMLWriter(namespaces: ["edXML": Self.edXML]).document(value)
        let text = tree.string()
        #expect(text.contains("<edXML:Root xmlns:edXML=\"\(Self.edXML)\" id=\"7\">"))
        #expect(text.contains("<edXML:To><edXML:OrganId>A</edXML:OrganId></edXML:To><edXML:To><edXML:OrganId>B</edXML:OrganId></edXML:To>"))
        #expect(text.contains("<Plain>x &lt; y</Plain>"))
        let unbound = #expect(throws: LGSPError.self) { try XMLWriter().document(["edXML:Root": "x"]) }
        #expect(unbound?.code == .ruleFailed)
    }

    @Test("an XSD with a local include validates; violations name the line")
    func xsd_validates() throws {
        let schemas = Fixtures.packageRoot.appendingPathComponent("schemas")
        let schema = try XMLSchema(contentsOf: schemas.appendingPathComponent("edxml/edxml-envelope.xsd").path, allowingImportsUnder: schemas.path)
        let bad = try SafeXMLParser().parse("""
            <edXML:edXMLEnvelope xmlns:edXML="\(Self.edXML)">
              <edXML:edXMLHeader>
                <edXML:Wrong/>
              </edXML:edXMLHeader>
            </edXML:edXMLEnvelope>
            """)
        let error = #expect(throws: LGSPError.self) { try schema.validate(bad, role: "input") }
        #expect(error?.code == .schemaViolation)
        #expect(error?.message.contains("line 3") == true, "\(String(describing: error))")
    }

    @Test("an XSD importing over the network or outside the allowed folder is refused", arguments: ["network-import.xsd", "outside-include.xsd"])
    func xsd_refusesForeignImports(file: String) {
        let folder = Fixtures.url("xml/xsd")
        let started = ContinuousClock.now
        let error = #expect(throws: LGSPError.self) { try XMLSchema(contentsOf: folder.appendingPathComponent(file).path, allowingImportsUnder: folder.path) }
        #expect(error?.code == .invalidSchema, "\(String(describing: error))")
        #expect(ContinuousClock.now - started < .seconds(2))
    }

    @Test("a document missing the XSD file is a missing-file error")
    func xsd_missingFile() {
        let error = #expect(throws: LGSPError.self) { try XMLSchema(contentsOf: "/nonexistent.xsd", allowingImportsUnder: "/") }
        #expect(error?.code == .missingMappingFile)
    }

    @Test("parsing is safe from several threads at once")
    func parsing_isThreadSafe() async throws {
        try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<8 {
                group.addTask {
                    var found = 0
                    for _ in 0..<50 {
                        let tree = try SafeXMLParser().parse(Self.document)
                        if case .nodes(let nodes) = try XPathEvaluator(tree: tree, namespaces: ["e": Self.edXML]).evaluate(try XPathExpression("//e:To")) {
                            found += nodes.count
                        }
                    }
                    return found
                }
            }
            for try await found in group { #expect(found == 100) }
        }
    }
}
