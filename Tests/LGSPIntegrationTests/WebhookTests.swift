import Foundation
import LGSPAPI
import LGSPClient
import LGSPCore
import LGSPTesting
import Testing

/// Webhook pushes to a receiver written as an app would (Python standard library, verifying the hub's
/// HMAC signature): failures are retried with backoff until accepted; after the last attempt the event
/// is dead-lettered, listed for administrators, and can be re-sent.
@Suite("Webhooks", .serialized)
struct WebhookTests {
    /// The receiver process and its folder.
    final class Receiver: Sendable {
        let folder: TemporaryFolder
        let process: Process
        let port: Int

        init() async throws {
            guard let python = ExternalTools.python ?? ExternalTools.which("python3") else {
                throw HubProcessError(message: "no python3 for the webhook receiver")
            }
            folder = try TemporaryFolder("lgsp-webhook")
            let process = Process()
            process.executableURL = URL(fileURLWithPath: python)
            process.arguments = [PackageRoot.path + "/Tests/Fixtures/python/webhook_receiver.py", folder.path]
            process.standardOutput = FileHandle.nullDevice
            try process.run()
            self.process = process
            var port: Int?
            for _ in 0..<200 {
                if let text = try? String(contentsOfFile: folder.path + "/port", encoding: .utf8), let value = Int(text) { port = value; break }
                try await Task.sleep(for: .milliseconds(25))
            }
            guard let port else { throw HubProcessError(message: "the webhook receiver did not start") }
            self.port = port
        }

        func url(_ name: String, failFirst: Int) -> String { "http://127.0.0.1:\(port)/hook/\(name)/\(failFirst)" }

        func setSecret(_ name: String, _ secret: String) throws {
            try secret.write(toFile: folder.path + "/\(name).secret", atomically: true, encoding: .utf8)
        }

        struct Push: Decodable {
            var attempt: Int
            var eventId: Int64
            var type: String?
            var bodyType: String?
            var packetId: String?
            var valid: Bool
            var fresh: Bool
            var answered: Int
        }

        func pushes(_ name: String) -> [Push] {
            guard let text = try? String(contentsOfFile: folder.path + "/\(name).jsonl", encoding: .utf8) else { return [] }
            return text.split(separator: "\n").compactMap { try? JSONDecoder().decode(Push.self, from: Data($0.utf8)) }
        }

        /// Waits until `condition` holds for the pushes to `name`.
        func wait(_ name: String, seconds: Double = 20, until condition: ([Push]) -> Bool) async throws -> [Push] {
            let deadline = Date().addingTimeInterval(seconds)
            while Date() < deadline {
                let pushes = pushes(name)
                if condition(pushes) { return pushes }
                try await Task.sleep(for: .milliseconds(50))
            }
            return pushes(name)
        }

        func stop() {
            if process.isRunning { kill(process.processIdentifier, SIGKILL); process.waitUntilExit() }
            folder.remove()
        }
    }

    static let environment = [
        "LGSP_WEBHOOKS_MAX_ATTEMPTS": "3", "LGSP_WEBHOOKS_BASE_DELAY_SECONDS": "0.2", "LGSP_WEBHOOKS_POLL_SECONDS": "0.05",
    ]

    @Test("signed pushes reach the app's receiver, retried with backoff after failures; the source hears each state change")
    func retriedUntilAccepted() async throws {
        let receiver = try await Receiver()
        defer { receiver.stop() }
        let hub = try await HubProcess.start(environment: Self.environment)
        defer { hub.shutdown() }
        let scenario = try await Scenario.make(hub)

        // The ward's app registers its own webhook: the first two pushes fail (503).
        let ward = try await scenario.client(scenario.first).setWebhook(url: receiver.url("ward", failFirst: 2))
        try receiver.setSecret("ward", try #require(ward.secret, "the secret comes once, at registration"))
        // The administrator registers one for the source app, which accepts at once.
        let source = try await scenario.admin.setWebhook(app: scenario.source.accessKey, url: receiver.url("source", failFirst: 0))
        try receiver.setSecret("source", try #require(source.secret))
        #expect(try await scenario.admin.webhooks().items.allSatisfy { $0.secret == nil }, "listings never show secrets")

        let sent = try await scenario.client(scenario.source).send(
            to: [Scenario.firstUnit], subject: "Báo cáo tuần", dataType: "edoc", data: Data("báo cáo".utf8))
        let pushes = try await receiver.wait("ward") { $0.contains { $0.answered == 204 } }
        #expect(pushes.map(\.answered) == [503, 503, 204], "\(pushes)")
        #expect(pushes.map(\.attempt) == [1, 2, 3])
        #expect(pushes.allSatisfy { $0.valid && $0.fresh }, "every push carries a valid, fresh signature")
        #expect(Set(pushes.map(\.eventId)).count == 1, "the same event is retried")
        #expect(pushes.allSatisfy { $0.type == "packet.available" && $0.bodyType == "packet.available" && $0.packetId == sent.id.description })

        // The ward takes the packet; the source's webhook hears about the state changes, in order.
        let wardClient = scenario.client(scenario.first)
        _ = try await wardClient.accept(sent.id)
        let content = try await wardClient.download(sent.id)
        _ = try await wardClient.acknowledge(sent.id, sha256: ContentDigest.of(content).hex)
        let statuses = try await receiver.wait("source") { $0.count >= 4 }
        #expect(statuses.allSatisfy { $0.valid && $0.type == "packet.status" && $0.packetId == sent.id.description }, "\(statuses)")
        let ids = statuses.map(\.eventId)
        #expect(ids == ids.sorted(), "pushed in order: \(ids)")
        #expect(try await scenario.admin.deadLetters().items.isEmpty)
    }

    @Test("after the last attempt the event is dead-lettered, visible to administrators, and re-sent on request")
    func deadLetters() async throws {
        let receiver = try await Receiver()
        defer { receiver.stop() }
        let hub = try await HubProcess.start(environment: Self.environment)
        defer { hub.shutdown() }
        let scenario = try await Scenario.make(hub)
        // Fails its first three requests: all three attempts of the first event.
        let hook = try await scenario.client(scenario.second).setWebhook(url: receiver.url("down", failFirst: 3))
        try receiver.setSecret("down", try #require(hook.secret))
        let sourceClient = scenario.client(scenario.source)
        let first = try await sourceClient.send(to: [Scenario.secondUnit], subject: "Lần 1", dataType: "edoc", data: Data("1".utf8))

        var letters: [DeadLetter] = []
        for _ in 0..<200 where letters.isEmpty {
            letters = try await scenario.admin.deadLetters().items
            if letters.isEmpty { try await Task.sleep(for: .milliseconds(50)) }
        }
        let letter = try #require(letters.first, "the event is dead-lettered after 3 attempts")
        #expect(letter.attempts == 3)
        #expect(letter.eventType == "packet.available")
        #expect(letter.lastError.contains("503"), "\(letter.lastError)")
        #expect(receiver.pushes("down").map(\.answered) == [503, 503, 503])

        // The pusher went on: the next event is delivered (the receiver is back up).
        let second = try await sourceClient.send(to: [Scenario.secondUnit], subject: "Lần 2", dataType: "edoc", data: Data("2".utf8))
        let after = try await receiver.wait("down") { $0.contains { $0.packetId == second.id.description && $0.answered == 204 } }
        #expect(after.contains { $0.packetId == second.id.description && $0.answered == 204 })

        // The administrator re-sends the dead letter; it leaves the list.
        try await scenario.admin.retryDeadLetter(id: letter.id)
        let resent = receiver.pushes("down").last
        #expect(resent?.packetId == first.id.description && resent?.answered == 204 && resent?.valid == true, "\(String(describing: resent))")
        #expect(try await scenario.admin.deadLetters().items.isEmpty)
        // Retrying something that is not a dead letter is a clear error.
        await #expect(throws: LGSPClientError.self) { try await scenario.admin.retryDeadLetter(id: letter.id) }
    }

    @Test("a webhook URL that is not http(s) is refused with request.invalid_field")
    func badURL() async throws {
        let hub = try await HubProcess.start()
        defer { hub.shutdown() }
        let scenario = try await Scenario.make(hub)
        do {
            _ = try await scenario.client(scenario.first).setWebhook(url: "file:///etc/passwd")
            Issue.record("a file: URL was accepted")
        } catch let error as LGSPClientError {
            #expect(error.code == .invalidField, "\(error)")
        }
        // The cloud metadata address (link-local) is refused whatever the configuration.
        let metadata = await #expect(throws: LGSPClientError.self) {
            _ = try await scenario.client(scenario.first).setWebhook(url: "http://169.254.169.254/latest/meta-data/")
        }
        #expect(metadata?.code == .invalidField)
    }

    @Test("with webhooks.allowedHosts set, only those hosts (or their subdomains) may receive webhooks")
    func allowedHosts() async throws {
        let hub = try await HubProcess.start(environment: ["LGSP_WEBHOOKS_ALLOWED_HOSTS": "hook.example.vn, .haiphong.gov.vn"])
        defer { hub.shutdown() }
        let scenario = try await Scenario.make(hub)
        let app = scenario.client(scenario.first)
        for url in ["http://127.0.0.1:9/hook", "https://haiphong.gov.vn.attacker.example/hook", "https://example.vn/hook"] {
            let refused = await #expect(throws: LGSPClientError.self, "\(url)") { _ = try await app.setWebhook(url: url) }
            #expect(refused?.code == .invalidField)
            if case .problem(_, let problem)? = refused { #expect(problem.detail.contains("not allowed"), "\(problem.detail)") }
        }
        #expect(try await app.setWebhook(url: "https://hook.example.vn/lgsp").url == "https://hook.example.vn/lgsp")
        #expect(try await app.setWebhook(url: "https://mot-cua.haiphong.gov.vn/lgsp").url == "https://mot-cua.haiphong.gov.vn/lgsp")
    }
}
