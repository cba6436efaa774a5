import Foundation
import LGSPAPI
import LGSPClient
import LGSPCore
import LGSPTesting
import Testing

/// The SOAP document service against a live hub, driven by PyPI `zeep` built from the hub's own WSDL:
/// a legacy document system sends an edXML document (WS-Security UsernameToken), another receives,
/// confirms and reports statuses 03 and 06, and the source sees them over REST; a REST source reaches
/// a SOAP destination; hostile envelopes are SOAP faults with stable codes and the hub stays up.
@Suite("SOAP document service", .serialized)
struct SOAPDocumentServiceTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/soap")

    /// Hostile envelopes (fixtures) and the fault code each must give.
    static let hostile: [String: String] = [
        "xxe-envelope": "transform.unsafe_xml", "entity-bomb-envelope": "transform.unsafe_xml", "xxe-inside-edxml": "transform.unsafe_xml",
        "wrong-envelope-namespace": "soap.version_mismatch", "wrong-edxml-namespace": "edxml.invalid_document",
        "missing-to": "exchange.no_recipients", "unknown-operation": "soap.unknown_operation", "not-soap": "transform.malformed_content",
    ]

    /// An envelope fixture with its `{{base64:PATH}}` placeholders expanded, written into the hub's folder.
    static func expandedEnvelope(_ name: String, into hub: HubProcess) throws -> String {
        var text = try String(contentsOf: fixtures.appendingPathComponent("envelopes/\(name).request.xml"), encoding: .utf8)
        while let range = text.range(of: #"\{\{base64:[^}]+\}\}"#, options: .regularExpression) {
            let path = String(text[range].dropFirst("{{base64:".count).dropLast(2))
            text.replaceSubrange(range, with: try Data(contentsOf: fixtures.appendingPathComponent(path)).base64EncodedString())
        }
        let path = hub.data.path + "/\(name).request.xml"
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test("zeep from the hub's WSDL: send (UsernameToken) → pending → get → confirm → statuses 03, 06 seen over REST; REST source → SOAP destination; refusals and hostile envelopes are faults")
    func zeepRoundTrip() async throws {
        guard try InteropTests.requirePython() else { return }
        let hub = try await HubProcess.start(environment: ["LGSP_LIMITS_MAX_INLINE_CONTENT_BYTES": "262144"])
        defer { hub.shutdown() }
        let scenario = try await Scenario.make(hub)
        let legacy = try await scenario.admin.createApp(
            unit: Scenario.sourceUnit, name: "Quản lý văn bản cũ (SOAP)", receives: ["edoc"], auth: UpdateAuthPolicyRequest(allowSha1: true))
        _ = try await scenario.admin.addGrant(app: legacy.accessKey, sendTo: "*.H24", dataType: "edoc")
        _ = try await scenario.admin.setAuthPolicy(accessKey: scenario.first.accessKey, UpdateAuthPolicyRequest(allowSha1: true))

        let letter = try Data(contentsOf: Self.fixtures.appendingPathComponent("edxml/official-letter.edxml.xml"))
        let unknown = try scenario.file(
            "unknown-recipient.xml",
            Data(String(decoding: letter, as: UTF8.self).replacingOccurrences(of: "000.00.31.H24", with: "000.00.99.H24").utf8))
        // The same letter claiming to come from another organ (the hub asserts the sender).
        let foreign = try scenario.file(
            "foreign-sender.xml",
            Data(String(decoding: letter, as: UTF8.self)
                .replacingOccurrences(of: "<edXML:From><edXML:OrganId>000.00.02.H24", with: "<edXML:From><edXML:OrganId>000.00.32.H24").utf8))
        // A REST source sends an edXML document to the SOAP destination.
        let rest = try await scenario.client(scenario.source).send(
            to: [Scenario.firstUnit], subject: "Công văn gửi hệ thống cũ", dataType: "edoc", data: letter, mediaType: "application/xml")
        var hostile: [[String: String]] = []
        for name in Self.hostile.keys.sorted() { hostile.append(["name": name, "path": try Self.expandedEnvelope(name, into: hub)]) }

        let results = try await SignatureInterop.run("zeep_documents.py", hub, configuration: [
            "url": hub.url,
            "source": ["accessKey": legacy.accessKey, "secretKey": legacy.secretKey],
            "destination": ["accessKey": scenario.first.accessKey, "secretKey": scenario.first.secretKey],
            "document": Self.fixtures.appendingPathComponent("edxml/official-letter.edxml.xml").path,
            "unknownRecipient": unknown, "foreignSender": foreign,
            "status03": Self.fixtures.appendingPathComponent("status/accepted-03.status.xml").path,
            "status06": Self.fixtures.appendingPathComponent("status/finished-short-code.status.xml").path,
            "restPacket": rest.id.rawValue, "hostile": hostile, "bigDocument": 290_000, "hugeDocument": 1_000_000,
        ])
        func value(_ step: String) -> Any? {
            let outcome = results[step] as? [String: Any]
            #expect(outcome?["ok"] as? Bool == true, "\(step): \(outcome ?? [:])")
            return outcome?["value"]
        }
        func fault(_ step: String, _ code: String) {
            let outcome = results[step] as? [String: Any]
            #expect(outcome?["ok"] as? Bool == false && outcome?["code"] as? String == code, "\(step): \(outcome ?? [:])")
        }
        func raw(_ step: String, _ status: Int, _ code: String?) {
            let outcome = results[step] as? [String: Any]
            #expect(outcome?["status"] as? Int == status && outcome?["code"] as? String == code, "\(step): \(outcome ?? [:])")
        }

        let sent = try #require(value("send") as? [String: Any])
        let id = try #require((sent["DocumentId"] as? String).flatMap(PacketID.init))
        #expect(sent["EdXMLDocumentId"] as? String == "000.00.02.H24,2026/11/29,123/STC-VP")
        #expect(sent["BusinessType"] as? String == "new")
        #expect(sent["State"] as? String == "in_transit")
        let again = value("sendAgain") as? [String: Any]
        #expect(again?["DocumentId"] as? String == id.rawValue && again?["Replayed"] as? Bool == true, "a resent DocumentId is the same packet")
        #expect((value("pending") as? [String])?.contains(id.rawValue) == true)
        let got = value("get") as? [String: Any]
        #expect(got?["sameBytes"] as? Bool == true)
        #expect(got?["sha256"] as? String == got?["actualSha256"] as? String)
        #expect(got?["from"] as? String == Scenario.sourceUnit && got?["priority"] as? String == "urgent")
        #expect((value("confirm") as? [String: Any])?["State"] as? String == "delivered")
        #expect((value("pendingAfter") as? [String])?.contains(id.rawValue) == false)
        #expect((value("trace03") as? [String: Any])?["StatusCode"] as? String == "03")
        #expect((value("trace06") as? [String: Any])?["StatusCode"] as? String == "06")
        let traces = value("traces") as? [[String: String]]
        #expect(traces?.map { $0["status"] ?? "" } == ["03", "06"], "GetTraces for the source: \(traces ?? [])")

        // The source's own app over REST (SigV4) sees the delivery and its statuses.
        let packet = try await scenario.client(legacy).packet(id)
        #expect(packet.protocol == "soap" && packet.priority == .urgent && packet.subject == "V/v triển khai nền tảng tích hợp")
        #expect(packet.idempotencyKey == "edxml:0:000.00.02.H24,2026/11/29,123/STC-VP")
        let toFirst = try #require(packet.deliveries.first { $0.appId == scenario.first.app.id })
        #expect(toFirst.state == .delivered)
        #expect(toFirst.traces?.map(\.status) == ["03", "06"])
        #expect(toFirst.traces?.map(\.name) == ["accepted", "finished"])
        #expect(toFirst.traces?.first?.staff == "Văn thư / Nguyễn Thị B")

        // REST source → SOAP destination: fetched, confirmed and traced by zeep, seen by the REST source.
        let restOutcome = value("restPacket") as? [String: Any]
        #expect(restOutcome?["bytes"] as? Int == letter.count && restOutcome?["confirmed"] as? String == "delivered")
        let restView = try await scenario.client(scenario.source).packet(rest.id)
        #expect(restView.deliveries.first?.state == .delivered)
        #expect(restView.deliveries.first?.traces?.map(\.status) == ["03"])

        fault("wrongPassword", "auth.signature_mismatch")
        fault("unknownRecipient", "exchange.unknown_recipient")
        fault("foreignSender", "auth.forbidden")
        fault("notRecipient", "exchange.not_recipient")
        fault("bigDocument", "exchange.content_too_large")
        fault("hugeDocument", "request.body_too_large")
        raw("rawFirst", 200, nil)
        raw("rawReplay", 500, "auth.replayed_nonce")
        raw("rawOld", 500, "auth.clock_skew")
        raw("rawPasswordText", 500, "auth.unsupported_algorithm")
        raw("rawNoToken", 400, "auth.missing_signature")
        #expect((results["rawNoToken"] as? [String: Any])?["contentType"] as? String == "application/soap+xml; charset=utf-8")
        for (name, code) in Self.hostile {
            raw("hostile:" + name, 500, code)
        }
        let health = try await RawClient(url: hub.url).send("GET", "/healthz")
        #expect(health.status == 200, "the hub stays up after hostile envelopes")
    }

    @Test("an HTTP signature (SigV4) on the POST identifies the caller without a UsernameToken; the WSDL is served")
    func httpSignature() async throws {
        let hub = try await HubProcess.start()
        defer { hub.shutdown() }
        let scenario = try await Scenario.make(hub)
        let raw = RawClient(url: hub.url)
        let body = Data("""
            <soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body>\
            <d:GetPendingDocumentIds xmlns:d="http://lgsp.vn/soap/documents/1"/></soap:Body></soap:Envelope>
            """.utf8)
        let signed = try await raw.send(
            "POST", "/soap/documents", headers: [("content-type", "text/xml; charset=utf-8")], body: body,
            signing: .sigV4(accessKey: scenario.second.accessKey, secretKey: scenario.second.secretKey))
        #expect(signed.status == 200, "\(signed.text)")
        #expect(signed.text.contains("GetPendingDocumentIdsResponse"))
        let tampered = try await raw.send(
            "POST", "/soap/documents", headers: [("content-type", "text/xml; charset=utf-8")], body: body,
            signing: .sigV4(accessKey: scenario.second.accessKey, secretKey: "wrong"))
        #expect(tampered.status == 500 && tampered.text.contains("<lgsp:Code>auth.signature_mismatch</lgsp:Code>"), "\(tampered.text)")
        let wsdl = try await raw.send("GET", "/soap/documents?wsdl")
        #expect(wsdl.status == 200 && wsdl.text.contains("<soap:address location=\"\(hub.url)/soap/documents\"/>"), "\(wsdl.text.prefix(300))")
        let noQuery = try await raw.send("GET", "/soap/documents")
        #expect(noQuery.status == 400 && noQuery.problem?.code == "request.invalid_query")
    }
}
