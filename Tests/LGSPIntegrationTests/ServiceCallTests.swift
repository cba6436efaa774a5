import Foundation
import HTTPTypes
import Hummingbird
import JWTKit
import LGSPAPI
import LGSPAuth
import LGSPClient
import LGSPCore
import LGSPTesting
import NIOCore
import Testing

/// Article 10 end to end: a consumer gets a session key, calls a provider's service through the hub,
/// the provider introspects the token with its own signature and answers.
@Suite("Service calls through the hub (Article 10)", .serialized)
struct ServiceCallTests {
    /// A provider on loopback: for each call it introspects the session token it was forwarded and
    /// answers with what it learned (or sleeps, to test timeouts).
    struct Provider {
        let url: String
        let task: Task<Void, any Error>

        static func start(introspectingWith client: @escaping @Sendable () -> LGSPClient?) async throws -> Provider {
            let router = Router()
            router.get("/slow") { _, _ -> String in
                try await Task.sleep(for: .seconds(5))
                return "late"
            }
            router.on("**", method: .get, use: answer(client))
            router.on("**", method: .post, use: answer(client))
            let (ports, continuation) = AsyncStream<Int>.makeStream()
            let app = Application(
                router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
                onServerRunning: { channel in continuation.yield(channel.localAddress?.port ?? 0) })
            let task = Task { try await app.runService(gracefulShutdownSignals: []) }
            var iterator = ports.makeAsyncIterator()
            let port = await iterator.next() ?? 0
            return Provider(url: "http://127.0.0.1:\(port)", task: task)
        }

        static func answer(_ client: @escaping @Sendable () -> LGSPClient?) -> @Sendable (Request, BasicRequestContext) async throws -> Response {
            { request, _ in
                var result: [String: String] = [
                    "path": request.uri.path, "query": request.uri.query ?? "", "method": request.method.rawValue,
                    "consumerApp": request.headers[HTTPField.Name("X-LGSP-Consumer-App")!] ?? "",
                    "consumerUnit": request.headers[HTTPField.Name("X-LGSP-Consumer-Unit")!] ?? "",
                    "assertion": request.headers[HTTPField.Name("X-LGSP-Assertion")!] ?? "",
                    "authorization": request.headers[.authorization] ?? "",
                ]
                let body = try await request.body.collect(upTo: 1 << 20)
                result["body"] = String(buffer: body)
                if let token = request.headers[HTTPField.Name("X-LGSP-Session")!], let provider = client() {
                    let introspection = try await provider.introspect(token: token)
                    result["active"] = String(introspection.active)
                    result["clientId"] = introspection.client_id ?? ""
                    result["sub"] = introspection.sub ?? ""
                    result["aud"] = introspection.aud ?? ""
                    result["scope"] = introspection.scope ?? ""
                }
                let data = try JSONEncoder().encode(result)
                return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: data)))
            }
        }
    }

    final class Box<T>: @unchecked Sendable {
        var value: T?
    }

    @Test("a granted consumer gets a session, calls through the hub, and the provider introspects and answers; others are refused")
    func article10Flow() async throws {
        let hub = try await HubProcess.start()
        defer { hub.shutdown() }
        let scenario = try await Scenario.make(hub)
        let providerClient = Box<LGSPClient>()
        let provider = try await Provider.start { providerClient.value }
        defer { provider.task.cancel() }
        providerClient.value = scenario.client(scenario.first)

        // The ward (first) offers "tra-cuu-ho-so"; the ward's app provides it. The department (source) may call it.
        _ = try await scenario.admin.addService(unit: Scenario.firstUnit, name: "tra-cuu-ho-so", url: provider.url, provider: scenario.first.accessKey)
        _ = try await scenario.admin.addService(unit: Scenario.secondUnit, name: "thong-ke", url: provider.url)
        _ = try await scenario.admin.addGrant(app: scenario.source.accessKey, service: "\(Scenario.firstUnit)/tra-cuu-ho-so")
        _ = try await scenario.admin.addGrant(app: scenario.source.accessKey, service: "\(Scenario.secondUnit)/thong-ke")
        let consumer = scenario.client(scenario.source)

        // Steps 1–2: a session key.
        let session = try await consumer.session(service: "\(Scenario.firstUnit)/tra-cuu-ho-so", scope: ["ho-so.doc"])
        #expect(session.tokenType == "Bearer")
        #expect(session.url.hasSuffix("/v1/services/\(Scenario.firstUnit)/tra-cuu-ho-so"))

        // Step 3 (and 4–6 at the provider): the call goes through the hub.
        let call = try await consumer.callService(
            "\(Scenario.firstUnit)/tra-cuu-ho-so", path: "/ho-so/000.00.31.H24-2026-1?loai=chi-tiet", session: session.token)
        #expect(call.status == 200)
        let seen = try JSONDecoder().decode([String: String].self, from: call.body)
        #expect(seen["path"] == "/ho-so/000.00.31.H24-2026-1")
        #expect(seen["query"] == "loai=chi-tiet")
        #expect(seen["consumerApp"] == scenario.source.accessKey)
        #expect(seen["consumerUnit"] == Scenario.sourceUnit)
        #expect(seen["authorization"] == "", "the consumer's signature is not passed on")
        #expect(seen["active"] == "true")
        #expect(seen["clientId"] == scenario.source.accessKey)
        #expect(seen["sub"] == Scenario.sourceUnit)
        #expect(seen["aud"] == "\(Scenario.firstUnit)/tra-cuu-ho-so")
        #expect(seen["scope"] == "ho-so.doc")
        #expect(call.headers.first(name: "X-LGSP-Request-Id") != nil)

        // The hub's assertion verifies offline with the published keys.
        let jwks = try await RawClient(url: hub.url).send("GET", "/v1/auth/jwks")
        let keys = try await JWTKeyCollection().add(jwksJSON: jwks.text)
        let assertion = try await keys.verify(try #require(seen["assertion"]), as: SessionClaims.self)
        #expect(assertion.typ == "lgsp-call")
        #expect(assertion.azp == scenario.source.accessKey)
        #expect(assertion.sub.value == Scenario.sourceUnit)

        // A body is forwarded; the answer comes back unchanged.
        let posted = try await consumer.callService(
            "\(Scenario.firstUnit)/tra-cuu-ho-so", path: "/tim-kiem", method: .POST, body: Data(#"{"soCCCD":"001203000123"}"#.utf8),
            contentType: "application/json", session: session.token)
        #expect(try JSONDecoder().decode([String: String].self, from: posted.body)["body"] == #"{"soCCCD":"001203000123"}"#)

        // An ungranted source is refused at step 2.
        let ungranted = await #expect(throws: LGSPClientError.self) {
            _ = try await scenario.client(scenario.second).session(service: "\(Scenario.firstUnit)/tra-cuu-ho-so")
        }
        #expect(ungranted?.code == .serviceNotGranted)

        // A token for service X is refused for service Y, by the hub and by Y's introspection.
        let wrong = try await consumer.callService("\(Scenario.secondUnit)/thong-ke", path: "/", session: session.token)
        #expect(wrong.status == 403)
        #expect(String(decoding: wrong.body, as: UTF8.self).contains("auth.session_not_for_service"))
        let otherProvider = scenario.client(scenario.second)
        #expect(try await otherProvider.introspect(token: session.token).active == false)
        #expect(try await scenario.client(scenario.first).introspect(token: session.token).active)
        #expect(try await scenario.client(scenario.first).introspect(token: session.token + "x").active == false)

        // Without a token, or with another app's token, the call is refused.
        let missing = try await consumer.callService("\(Scenario.firstUnit)/tra-cuu-ho-so", path: "/", session: "")
        #expect(missing.status == 401)
        let foreign = try await scenario.client(scenario.first).callService("\(Scenario.firstUnit)/tra-cuu-ho-so", path: "/", session: session.token)
        #expect(foreign.status == 401 || foreign.status == 403)

        // Every call is logged, with no body.
        let calls = try await scenario.admin.serviceCalls()
        #expect(calls.filter { $0.status == 200 }.count == 2)
        #expect(calls.contains { $0.errorCode == "auth.session_not_for_service" })
        #expect(calls.first { $0.status == 200 }?.path == "/ho-so/000.00.31.H24-2026-1")
    }

    @Test("a provider that is down is service.provider_unreachable; one that is too slow is service.provider_timeout")
    func providerFailures() async throws {
        let hub = try await HubProcess.start()
        defer { hub.shutdown() }
        let scenario = try await Scenario.make(hub)
        let provider = try await Provider.start { nil }
        defer { provider.task.cancel() }
        _ = try await scenario.admin.addService(unit: Scenario.firstUnit, name: "cham", url: provider.url, timeoutSeconds: 1)
        _ = try await scenario.admin.addService(unit: Scenario.firstUnit, name: "tat", url: "http://127.0.0.1:9")
        _ = try await scenario.admin.addGrant(app: scenario.source.accessKey, service: "\(Scenario.firstUnit)/cham")
        _ = try await scenario.admin.addGrant(app: scenario.source.accessKey, service: "\(Scenario.firstUnit)/tat")
        let consumer = scenario.client(scenario.source)
        let slowSession = try await consumer.session(service: "\(Scenario.firstUnit)/cham")
        let slow = try await consumer.callService("\(Scenario.firstUnit)/cham", path: "/slow", session: slowSession.token)
        #expect(slow.status == 504)
        #expect(String(decoding: slow.body, as: UTF8.self).contains("service.provider_timeout"))
        let downSession = try await consumer.session(service: "\(Scenario.firstUnit)/tat")
        let down = try await consumer.callService("\(Scenario.firstUnit)/tat", path: "/", session: downSession.token)
        #expect(down.status == 502)
        #expect(String(decoding: down.body, as: UTF8.self).contains("service.provider_unreachable"))
    }
}
