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

/// Article 10 with the transformation layer: a service registered with a request mapping and a
/// response mapping. A legacy consumer sends an edXML envelope; the provider receives the JSON summary
/// the shipped `edxml-to-summary` mapping makes of it, answers JSON, and the consumer gets that answer
/// back as edXML (`summary-to-edxml`). Bad input is refused before the provider sees it.
@Suite("Service calls with mappings", .serialized)
struct ServiceConversionTests {
    /// A provider that keeps what it received and answers with the JSON summary it was sent.
    struct Provider {
        let url: String
        let task: Task<Void, any Error>

        static func start() async throws -> (Provider, ReceivedBox) {
            let received = ReceivedBox()
            let router = Router()
            router.post("/ho-so") { request, _ -> Response in
                let body = try await request.body.collect(upTo: 1 << 20)
                received.append(request.headers[.contentType] ?? "", Data(body.readableBytesView))
                return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: body))
            }
            let (ports, continuation) = AsyncStream<Int>.makeStream()
            let app = Application(
                router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
                onServerRunning: { channel in continuation.yield(channel.localAddress?.port ?? 0) })
            let task = Task { try await app.runService(gracefulShutdownSignals: []) }
            var iterator = ports.makeAsyncIterator()
            let port = await iterator.next() ?? 0
            return (Provider(url: "http://127.0.0.1:\(port)", task: task), received)
        }
    }

    final class ReceivedBox: Sendable {
        private let items = Mutex<[(contentType: String, body: Data)]>([])
        func append(_ contentType: String, _ body: Data) { items.withLock { $0.append((contentType, body)) } }
        var all: [(contentType: String, body: Data)] { items.withLock { $0 } }
    }

    @Test("an edXML request reaches the provider as its JSON summary, and the JSON answer comes back as edXML; bad input never reaches it")
    func convertedBothWays() async throws {
        let cases = try MappingTestFile(
            text: try String(contentsOfFile: PackageRoot.path + "/mappings/edxml-to-summary.test.yaml", encoding: .utf8),
            file: "mappings/edxml-to-summary.test.yaml"
        ).cases
        guard case .string(let envelope) = cases[0].input, case .output(let summary) = cases[0].expectation else {
            Issue.record("the first case of edxml-to-summary.test.yaml should turn an XML input into an output")
            return
        }
        let hub = try await HubProcess.start(environment: ["LGSP_TRANSFORM_DIRECTORY": PackageRoot.path])
        defer { hub.shutdown() }
        let scenario = try await Scenario.make(hub)
        let (provider, received) = try await Provider.start()
        defer { provider.task.cancel() }

        // A mapping that does not exist is refused at registration, naming the field.
        let unknown = await #expect(throws: LGSPClientError.self) {
            _ = try await scenario.admin.addService(
                unit: Scenario.firstUnit, name: "van-ban", url: provider.url, requestMapping: "khong-co")
        }
        #expect(unknown?.code == .invalidField)
        if case .problem(_, let problem)? = unknown { #expect(problem.field == "requestMapping") }

        // Registered from the command line, as an operator would.
        let cli = try await CLITests.lgsp([
            "service", "add", "--unit", Scenario.firstUnit, "--name", "van-ban", "--url", provider.url,
            "--request-mapping", "edxml-to-summary", "--response-mapping", "summary-to-edxml", "--json", "--hub", hub.url, "--data", hub.dataPath,
        ])
        #expect(cli.status == 0, "\(cli.stderr)")
        let service = try APICoding.makeDecoder().decode(ServiceBody.self, from: cli.stdout)
        #expect(service.requestMapping == "edxml-to-summary" && service.responseMapping == "summary-to-edxml")
        _ = try await scenario.admin.addGrant(app: scenario.source.accessKey, service: "\(Scenario.firstUnit)/van-ban")

        let consumer = scenario.client(scenario.source)
        let session = try await consumer.session(service: "\(Scenario.firstUnit)/van-ban")
        let call = try await consumer.callService(
            "\(Scenario.firstUnit)/van-ban", path: "/ho-so", method: .POST, body: Data(envelope.utf8), contentType: "application/xml",
            session: session.token)
        #expect(call.status == 200, "\(String(decoding: call.body, as: UTF8.self))")

        // The provider got the summary as JSON.
        let seen = try #require(received.all.first)
        #expect(seen.contentType.hasPrefix("application/json"))
        let differences = JSONDiff.lines(expected: summary, actual: try JSONParser().parse(seen.body))
        #expect(differences.isEmpty, "\(differences)")

        // The consumer got the answer as edXML with the exact QCVN 102:2016 namespace.
        #expect(call.headers.first(name: "content-type")?.hasPrefix("application/xml") == true)
        let answer = String(decoding: call.body, as: UTF8.self)
        #expect(answer.contains("xmlns:edXML=\"http://www.mic.gov.vn/TBT/QCVN_102_2016\""), "\(answer)")
        #expect(answer.contains("<edXML:DocumentId>000.00.00.G22,2015/09/30,7816/VPCP-TTĐT</edXML:DocumentId>"), "\(answer)")

        // Input that is not XML, or XML with an entity declaration, is refused; the provider sees neither.
        for (body, code) in [
            ("không phải XML", ErrorCode.malformedContent),
            (#"<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><x>&a;</x>"#, ErrorCode.unsafeXML),
        ] {
            let refused = try await consumer.callService(
                "\(Scenario.firstUnit)/van-ban", path: "/ho-so", method: .POST, body: Data(body.utf8), contentType: "application/xml",
                session: session.token)
            let problem = try? APICoding.makeDecoder().decode(ProblemBody.self, from: refused.body)
            #expect(problem?.code == code.rawValue, "\(refused.status) \(String(decoding: refused.body, as: UTF8.self))")
        }
        #expect(received.all.count == 1, "the provider saw only the good call")
        let log = try await scenario.admin.serviceCalls()
        #expect(log.contains { $0.status == 200 && $0.service.description == "\(Scenario.firstUnit)/van-ban" })
    }
}
