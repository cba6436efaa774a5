import Foundation
import LGSPAdapters
import LGSPCore
import Testing

/// The SOAP/edXML codec from fixture pairs under `Tests/Fixtures/soap/` (see its README).
@Suite("SOAP edXML codec")
struct SOAPCodecTests {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/soap")

    static func cases(_ subfolder: String, suffix: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder.appendingPathComponent(subfolder).path)) ?? [])
            .filter { $0.hasSuffix(suffix) }.map { String($0.dropLast(suffix.count)) }.sorted()
    }

    static func expected(_ subfolder: String, _ name: String) throws -> [String: Any] {
        let url = folder.appendingPathComponent("\(subfolder)/\(name).expected.json")
        return try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
    }

    /// Expands the placeholders of an envelope fixture.
    static func envelope(_ name: String) throws -> Data {
        var text = try String(contentsOf: folder.appendingPathComponent("envelopes/\(name).request.xml"), encoding: .utf8)
        while let range = text.range(of: #"\{\{[a-z0-9-]+:[^}]+\}\}"#, options: .regularExpression) {
            let inner = text[range].dropFirst(2).dropLast(2)
            let kind = inner.prefix { $0 != ":" }
            let argument = String(inner.dropFirst(kind.count + 1))
            let replacement: String
            switch kind {
            case "base64": replacement = try Data(contentsOf: folder.appendingPathComponent(argument)).base64EncodedString()
            case "base64-wrapped": replacement = try Data(contentsOf: folder.appendingPathComponent(argument)).base64EncodedString(options: .lineLength76Characters)
            case "base64-zeros": replacement = Data(count: Int(argument) ?? 0).base64EncodedString()
            default: throw LGSPError(.invalidField, "unknown placeholder \(kind)")
            }
            text.replaceSubrange(range, with: replacement)
        }
        return Data(text.utf8)
    }

    static func expectFailure(_ expected: [String: Any], _ name: String, _ body: () throws(LGSPError) -> Any) {
        guard let code = expected["code"] as? String else { return }
        do {
            let value = try body()
            Issue.record("\(name) decoded to \(value) instead of failing with \(code)")
        } catch {
            #expect(error.code.rawValue == code, "\(name): \(error)")
            #expect(error.message.count > 10, "\(name): a message names the problem")
            if let field = expected["field"] as? String { #expect(error.field == field, "\(name): \(error)") }
        }
    }

    @Test("there are fixture pairs for documents, statuses and envelopes")
    func fixtures_exist() {
        #expect(Self.cases("edxml", suffix: ".edxml.xml").count >= 15)
        #expect(Self.cases("status", suffix: ".status.xml").count >= 4)
        #expect(Self.cases("envelopes", suffix: ".request.xml").count >= 20)
    }

    @Test("each edXML document reads to its expected header or error", arguments: cases("edxml", suffix: ".edxml.xml"))
    func edXML_readsAsExpected(name: String) throws {
        let data = try Data(contentsOf: Self.folder.appendingPathComponent("edxml/\(name).edxml.xml"))
        let expected = try Self.expected("edxml", name)
        if expected["code"] != nil { return Self.expectFailure(expected, name) { () throws(LGSPError) in try EdXMLDocument.parse(data) } }
        let document = try EdXMLDocument.parse(data)
        #expect(document.from == expected["from"] as? String, "\(name)")
        #expect(document.to == expected["to"] as? [String], "\(name)")
        #expect(document.documentId == expected["documentId"] as? String, "\(name)")
        #expect(document.subject == expected["subject"] as? String, "\(name)")
        #expect(document.priority.rawValue == expected["priority"] as? String, "\(name)")
        #expect(document.businessType.name == expected["businessType"] as? String, "\(name)")
        #expect(document.attachmentCount == expected["attachments"] as? Int, "\(name)")
        #expect(document.bytes == data, "\(name): the document travels exactly as received")
    }

    @Test("an edXML document becomes an edoc send request over soap, keyed by its DocumentId and business type")
    func edXML_sendRequest() throws {
        let data = try Data(contentsOf: Self.folder.appendingPathComponent("edxml/official-letter.edxml.xml"))
        let request = try EdXMLDocument.parse(data).sendRequest(dataType: try DataType("edoc"))
        #expect(request.to == ["000.00.31.H24", "000.00.32.H24"])
        #expect(request.priority == .urgent)
        #expect(request.exchangeProtocol == "soap")
        #expect(request.content.size == Int64(data.count))
        #expect(request.content.sha256 == ContentDigest.of(data))
        #expect(request.content.mediaType == "application/xml")
        #expect(request.idempotencyKey == "edxml:0:000.00.02.H24,2026/11/29,123/STC-VP")
    }

    @Test("each status packet reads to its expected status or error", arguments: cases("status", suffix: ".status.xml"))
    func status_readsAsExpected(name: String) throws {
        let data = try Data(contentsOf: Self.folder.appendingPathComponent("status/\(name).status.xml"))
        let expected = try Self.expected("status", name)
        if expected["code"] != nil { return Self.expectFailure(expected, name) { () throws(LGSPError) in try EdXMLStatus.parse(data) } }
        let status = try EdXMLStatus.parse(data)
        #expect(status.code.rawValue == expected["status"] as? String, "\(name)")
        #expect(status.responseFor == expected["responseFor"] as? String, "\(name)")
        #expect(status.staff == expected["staff"] as? String, "\(name)")
        #expect(status.description == expected["description"] as? String, "\(name)")
        #expect(status.timestamp.map { ISO8601DateFormatter().string(from: $0) } == expected["timestamp"] as? String, "\(name)")
    }

    @Test("each SOAP envelope decodes to its expected command or fault code", arguments: cases("envelopes", suffix: ".request.xml"))
    func envelope_decodesAsExpected(name: String) throws {
        let data = try Self.envelope(name)
        let expected = try Self.expected("envelopes", name)
        var limits = SOAPDocumentLimits()
        if let max = expected["maxDocumentBytes"] as? Int { limits.maxDocumentBytes = max }
        if expected["code"] != nil {
            return Self.expectFailure(expected, name) { () throws(LGSPError) in try SOAPDocumentRequest.decode(data, limits: limits) }
        }
        let request = try SOAPDocumentRequest.decode(data, limits: limits)
        if let version = expected["version"] as? String { #expect(request.version.rawValue == version, "\(name)") }
        #expect(request.operation.rawValue == expected["operation"] as? String, "\(name)")
        if let token = expected["token"] as? [String: String] {
            #expect(request.usernameToken?.username == token["username"], "\(name)")
            #expect(request.usernameToken?.passwordType == token["passwordType"], "\(name)")
            #expect(request.usernameToken?.nonce == token["nonce"], "\(name)")
            #expect(request.usernameToken?.created == token["created"], "\(name)")
        }
        switch request.command {
        case .sendDocument(let document):
            #expect(document.to == expected["to"] as? [String], "\(name)")
            if let id = expected["documentId"] as? String { #expect(document.documentId == id, "\(name)") }
        case .getPendingDocumentIds(let limit):
            #expect(limit == expected["limit"] as? Int, "\(name)")
        case .getDocument(let id), .confirmReceived(let id), .getTraces(let id):
            #expect(id.rawValue == expected["packetId"] as? String, "\(name)")
        case .updateTraces(let id, let status):
            #expect(id.rawValue == expected["packetId"] as? String, "\(name)")
            #expect(status.code.rawValue == expected["status"] as? String, "\(name)")
        }
    }

    @Test("faults carry the stable code: Client/Server in SOAP 1.1, Sender/Receiver in SOAP 1.2", arguments: [SOAPVersion.soap11, .soap12])
    func fault_carriesCode(version: SOAPVersion) throws {
        let client = String(decoding: SOAPFault.envelope(LGSPError(.noRecipients, "no <To> & nothing", field: "MessageHeader/To"), version: version), as: UTF8.self)
        let server = String(decoding: SOAPFault.envelope(LGSPError(.storageFailure, "disk"), version: version), as: UTF8.self)
        #expect(client.contains("<lgsp:Code>exchange.no_recipients</lgsp:Code>"))
        #expect(client.contains("<lgsp:Field>MessageHeader/To</lgsp:Field>"))
        #expect(client.contains("no &lt;To&gt; &amp; nothing"))
        #expect(client.contains(version == .soap11 ? "<faultcode>soap:Client</faultcode>" : "<soap:Value>soap:Sender</soap:Value>"))
        #expect(server.contains(version == .soap11 ? "<faultcode>soap:Server</faultcode>" : "<soap:Value>soap:Receiver</soap:Value>"))
        #expect(client.contains(version.namespace))
        #expect(SOAPFault.httpStatus(LGSPError(.noRecipients, "x"), version: version) == (version == .soap11 ? 500 : 400))
    }

    @Test("a response envelope is well formed, in the service namespace, with values escaped")
    func response_isWellFormed() throws {
        let id = try #require(PacketID("019ac9a2-6c1e-7b3a-9f00-00000000abcd"))
        let data = SOAPDocumentResponse.document(documentId: id, from: "000.00.02.H24", subject: "A < B & C", priority: "urgent", sha256: "ab", bytes: Data("x".utf8))
            .envelope(.soap12)
        let text = String(decoding: data, as: UTF8.self)
        #expect(text.contains("<lgsp:GetDocumentResponse>"))
        #expect(text.contains("A &lt; B &amp; C"))
        #expect(text.contains("<lgsp:Document>eA==</lgsp:Document>"))
        #expect(text.contains(SOAPVersion.soap12.namespace))
    }

    @Test("the WSDL names every operation for SOAP 1.1 and 1.2 at the given address")
    func wsdl_namesOperations() {
        let wsdl = SOAPDocumentWSDL.document(location: "http://127.0.0.1:1/soap/documents")
        for operation in SOAPDocumentOperation.allCases {
            #expect(wsdl.contains("<wsdl:operation name=\"\(operation.rawValue)\">"))
            #expect(wsdl.contains("soapAction=\"\(SOAPDocumentService.namespace)/\(operation.rawValue)\""))
        }
        #expect(wsdl.contains("<soap12:address location=\"http://127.0.0.1:1/soap/documents\"/>"))
    }
}
