import Foundation
import HTTPTypes
import Hummingbird
import LGSPAPI
import LGSPClient
import LGSPCore
import LGSPTesting
import LGSPTransform
import NIOCore
import Synchronization
import Testing

/// SOAP service calls (issue 6, item 3) against a live hub, driven by PyPI `zeep` built from the
/// hub's WSDL for the service: a legacy SOAP client looks a citizen up (`TraCuuCongDan`, SOAP 1.1 and
/// 1.2, WS-Security UsernameToken); the hub converts the Body with the shipped
/// `tra-cuu-cong-dan-request` mapping into the JSON a Hummingbird provider takes, and the provider's
/// JSON answer with `tra-cuu-cong-dan-response` into the SOAP response. An ungranted caller, a
/// foreign session token and malformed envelopes get SOAP faults with stable codes, and the provider
/// never sees them; a `soap` service without mappings gets the envelope unchanged.
@Suite("SOAP service calls", .serialized)
struct SOAPServiceCallTests {
    final class Seen: Sendable {
        private let items = Mutex<[(path: String, contentType: String, consumer: String, assertion: Bool, body: Data)]>([])
        func append(_ path: String, _ contentType: String, _ consumer: String, _ assertion: Bool, _ body: Data) {
            items.withLock { $0.append((path, contentType, consumer, assertion, body)) }
        }
        var all: [(path: String, contentType: String, consumer: String, assertion: Bool, body: Data)] { items.withLock { $0 } }
    }

    static let soapAnswer = #"<?xml version="1.0" encoding="UTF-8"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><HoTichResponse xmlns="urn:ho-tich"><Ok>true</Ok></HoTichResponse></soap:Body></soap:Envelope>"#

    /// A JSON citizen registry (`POST /cong-dan`) and a SOAP provider (`POST /ho-tich`) that keep what they receive.
    static func provider() async throws -> (url: String, task: Task<Void, any Error>, seen: Seen) {
        let seen = Seen()
        let router = Router()
        router.post("/cong-dan") { request, _ -> Response in
            let body = try await request.body.collect(upTo: 1 << 20)
            seen.append("/cong-dan", request.headers[.contentType] ?? "", request.headers[.init("X-LGSP-Consumer-App")!] ?? "",
                request.headers[.init("X-LGSP-Assertion")!] != nil, Data(body.readableBytesView))
            let id = (try? JSONSerialization.jsonObject(with: Data(body.readableBytesView)) as? [String: Any])?["personalId"] as? String ?? ""
            let answer = #"{"personalId": "\#(id)", "fullName": "Nguyễn  Văn An", "birthDate": "1985-03-05", "gender": "male", "residence": {"address": "12 Trần Phú, Hải Phòng"}}"#
            return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: answer)))
        }
        router.post("/ho-tich") { request, _ -> Response in
            let body = try await request.body.collect(upTo: 1 << 20)
            seen.append("/ho-tich", request.headers[.contentType] ?? "", request.headers[.init("X-LGSP-Consumer-App")!] ?? "",
                request.headers[.init("X-LGSP-Assertion")!] != nil, Data(body.readableBytesView))
            return Response(status: .ok, headers: [.contentType: "text/xml; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: soapAnswer)))
        }
        let (ports, continuation) = AsyncStream<Int>.makeStream()
        let app = Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in continuation.yield(channel.localAddress?.port ?? 0) })
        let task = Task { try await app.runService(gracefulShutdownSignals: []) }
        var iterator = ports.makeAsyncIterator()
        let port = await iterator.next() ?? 0
        return ("http://127.0.0.1:\(port)", task, seen)
    }

    @Test("zeep from the service's WSDL: SOAP 1.1 and 1.2 lookups reach the JSON provider converted and come back as SOAP; session header, grants, malformed envelopes and SOAP pass-through")
    func zeepCitizenLookup() async throws {
        guard try InteropTests.requirePython() else { return }
        let hub = try await HubProcess.start(environment: ["LGSP_TRANSFORM_DIRECTORY": PackageRoot.path])
        defer { hub.shutdown() }
        let scenario = try await Scenario.make(hub)
        let (url, task, seen) = try await Self.provider()
        defer { task.cancel() }
        let unit = Scenario.firstUnit
        _ = try await scenario.admin.addService(
            unit: unit, name: "tra-cuu-cong-dan", url: url + "/cong-dan", protocol: "soap",
            requestMapping: "tra-cuu-cong-dan-request", responseMapping: "tra-cuu-cong-dan-response")
        _ = try await scenario.admin.addService(unit: unit, name: "ho-tich", url: url + "/ho-tich", protocol: "soap")
        _ = try await scenario.admin.addGrant(app: scenario.source.accessKey, service: "\(unit)/tra-cuu-cong-dan")
        _ = try await scenario.admin.addGrant(app: scenario.source.accessKey, service: "\(unit)/ho-tich")
        for app in [scenario.source, scenario.second] {
            _ = try await scenario.admin.setAuthPolicy(accessKey: app.accessKey, UpdateAuthPolicyRequest(allowSha1: true))
        }
        let session = try await scenario.client(scenario.source).session(service: "\(unit)/tra-cuu-cong-dan")

        let results = try await SignatureInterop.run("zeep_services.py", hub, configuration: [
            "url": hub.url, "unit": unit, "service": "tra-cuu-cong-dan", "passthrough": "ho-tich",
            "granted": ["accessKey": scenario.source.accessKey, "secretKey": scenario.source.secretKey],
            "ungranted": ["accessKey": scenario.second.accessKey, "secretKey": scenario.second.secretKey],
            "session": session.token, "personalId": "030085001234",
        ])
        func step(_ name: String) -> [String: Any] { results[name] as? [String: Any] ?? [:] }

        // zeep, SOAP 1.1 and 1.2: the mapped answer, as the WSDL declares it.
        for name in ["lookup11", "lookup12"] {
            let value = step(name)["value"] as? [String: Any]
            #expect(step(name)["ok"] as? Bool == true, "\(name): \(step(name))")
            #expect(value?["SoDinhDanh"] as? String == "030085001234", "\(name): \(step(name))")
            #expect(value?["HoTen"] as? String == "Nguyễn Văn An" && value?["GioiTinh"] as? String == "Nam", "\(name): \(step(name))")
        }
        // A session token in <lgsp:Session> works for the app it was issued to, not for another.
        #expect(step("withSession")["status"] as? Int == 200, "\(step("withSession"))")
        #expect((step("withSession")["body"] as? String)?.contains("TraCuuCongDanResponse") == true, "\(step("withSession"))")
        #expect(step("foreignSession")["code"] as? String == ErrorCode.invalidSession.rawValue, "\(step("foreignSession"))")
        // An app without a grant gets the fault with the stable code.
        #expect(step("ungranted")["ok"] as? Bool == false, "\(step("ungranted"))")
        #expect(step("ungranted")["code"] as? String == ErrorCode.serviceNotGranted.rawValue, "\(step("ungranted"))")
        // Malformed envelopes and bodies: faults, SOAP 1.1 with HTTP 500, SOAP 1.2 sender faults with 400.
        for (name, code, status) in [
            ("malformed", ErrorCode.malformedContent, 500), ("emptyBody", ErrorCode.malformedContent, 500), ("missingField", ErrorCode.ruleFailed, 500),
            ("unauthenticated", ErrorCode.missingSignature, 500), ("unauthenticated12", ErrorCode.missingSignature, 400),
        ] {
            #expect(step(name)["code"] as? String == code.rawValue && step(name)["status"] as? Int == status, "\(name): \(step(name))")
        }
        #expect((step("unauthenticated12")["contentType"] as? String)?.hasPrefix("application/soap+xml") == true, "\(step("unauthenticated12"))")
        // Pass-through: the SOAP provider got the envelope unchanged, and its answer came back unchanged.
        #expect(step("passthrough")["status"] as? Int == 200 && step("passthrough")["body"] as? String == Self.soapAnswer, "\(step("passthrough"))")

        // The JSON provider saw exactly three converted lookups (zeep 1.1, 1.2, the session call), each identified.
        let lookups = seen.all.filter { $0.path == "/cong-dan" }
        #expect(lookups.count == 3, "\(lookups.map { String(decoding: $0.body, as: UTF8.self) })")
        for lookup in lookups {
            #expect(lookup.contentType.hasPrefix("application/json") && lookup.consumer == scenario.source.accessKey && lookup.assertion)
            let differences = JSONDiff.lines(expected: ["personalId": "030085001234"], actual: try JSONParser().parse(lookup.body))
            #expect(differences.isEmpty, "\(differences)")
        }
        let passed = seen.all.filter { $0.path == "/ho-tich" }
        #expect(passed.count == 1 && String(decoding: passed.first?.body ?? Data(), as: UTF8.self).contains("<cd:TraCuuCongDan>"))

        // The WSDL names the hub's endpoint; the call log has the SOAP calls and the refusal.
        let wsdl = step("wsdl")["body"] as? String ?? ""
        #expect(wsdl.contains("location=\"\(hub.url)/soap/services/\(unit)/tra-cuu-cong-dan\""), "\(wsdl.prefix(300))")
        let log = try await scenario.admin.serviceCalls()
        #expect(log.filter { $0.status == 200 && $0.service.description == "\(unit)/tra-cuu-cong-dan" }.count == 3)
        #expect(log.contains { $0.errorCode == ErrorCode.serviceNotGranted.rawValue })
    }
}

