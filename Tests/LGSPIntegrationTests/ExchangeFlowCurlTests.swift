import Foundation
import LGSPAPI
import LGSPCore
import LGSPTesting
import Testing

/// Articles 8–9 end to end with nothing but `curl --aws-sigv4`: a client we did not write signs
/// every request (AWS Signature V4, region vn, service lgsp).
@Suite("Exchange flow with curl only", .serialized)
struct ExchangeFlowCurlTests {
    /// Runs curl signed with `credential`; returns the HTTP status and body.
    static func curl(_ hub: HubProcess, _ credential: CredentialResponse, _ arguments: [String]) async throws -> (status: Int, body: Data) {
        let curl = try #require(ExternalTools.curl, "curl is needed for this test")
        let result = try await ExternalTools.run(
            curl, ["-sS", "--aws-sigv4", "aws:amz:vn:lgsp", "--user", "\(credential.accessKey):\(credential.secretKey)", "-w", "\n%{http_code}"] + arguments)
        #expect(result.status == 0, "curl failed: \(result.stderr)")
        var body = result.stdout
        let newline = try #require(body.lastIndex(of: UInt8(ascii: "\n")))
        let status = Int(String(decoding: body[(newline + 1)...], as: UTF8.self)) ?? 0
        body = body[..<newline]
        return (status, Data(body))
    }

    static func decode<T: Decodable>(_ type: T.Type, _ data: Data) throws -> T {
        try APICoding.makeDecoder().decode(T.self, from: data)
    }

    @Test("create → upload → inbox → accept → download → ack with two recipients, all with curl --aws-sigv4")
    func fullFlowWithCurl() async throws {
        let hub = try await HubProcess.start()
        defer { hub.shutdown() }
        let scenario = try await Scenario.make(hub)
        let content = BlobStoreConformance.content(150_000, seed: 7)
        let digest = ContentDigest.of(content).hex
        let file = try scenario.file("ho-so.xml", content)

        let request = """
            {"to": ["\(Scenario.firstUnit)", "\(Scenario.secondUnit)"], "subject": "Hồ sơ thủ tục hành chính", "priority": "flash",
             "dataType": "edoc", "protocol": "rest", "content": {"size": \(content.count), "sha256": "\(digest)", "mediaType": "application/xml"}}
            """
        let created = try await Self.curl(hub, scenario.source, ["-X", "POST", "-H", "content-type: application/json", "--data-binary", request, "\(hub.url)/v1/packets"])
        #expect(created.status == 201, "\(String(decoding: created.body, as: UTF8.self))")
        let packet = try Self.decode(PacketCreatedResponse.self, created.body)
        let upload = try #require(packet.upload)
        #expect(upload.method == "PUT")

        let uploaded = try await Self.curl(hub, scenario.source, ["-X", "PUT", "--data-binary", "@\(file)", upload.url])
        #expect(uploaded.status == 200, "\(String(decoding: uploaded.body, as: UTF8.self))")
        #expect(try Self.decode(UploadResponse.self, uploaded.body).complete)

        for (index, credential) in [scenario.first, scenario.second].enumerated() {
            let inbox = try await Self.curl(hub, credential, ["\(hub.url)/v1/inbox"])
            #expect(inbox.status == 200)
            let items = try Self.decode(InboxResponse.self, inbox.body).items
            #expect(items.map(\.id) == [packet.id])
            #expect(items.first?.priority == .flash)

            let accepted = try await Self.curl(hub, credential, ["-X", "POST", "\(hub.url)/v1/packets/\(packet.id)/accept"])
            #expect(accepted.status == 200)
            let space = try Self.decode(AcceptResponse.self, accepted.body)

            let target = hub.data.path + "/curl-received-\(index).xml"
            let downloaded = try await Self.curl(hub, credential, ["-o", target, space.download.url])
            #expect(downloaded.status == 200)
            let received = try Data(contentsOf: URL(fileURLWithPath: target))
            #expect(ContentDigest.of(received).hex == digest)

            let ranged = try await Self.curl(hub, credential, ["-H", "Range: bytes=100-199", space.download.url])
            #expect(ranged.status == 206)
            #expect(ranged.body == content[100..<200])

            let ack = try await Self.curl(hub, credential, ["-X", "POST", "-H", "content-type: application/json", "--data-binary", "{\"sha256\": \"\(digest)\"}", "\(hub.url)/v1/packets/\(packet.id)/ack"])
            #expect(ack.status == 200, "\(String(decoding: ack.body, as: UTF8.self))")
            #expect(try Self.decode(DeliveryBody.self, ack.body).state == .delivered)

            let again = try await Self.curl(hub, credential, ["-X", "POST", "-H", "content-type: application/json", "--data-binary", "{\"sha256\": \"\(digest)\"}", "\(hub.url)/v1/packets/\(packet.id)/ack"])
            #expect(again.status == 409)
            #expect(try Self.decode(ProblemBody.self, again.body).code == "exchange.delivery_final")
        }

        let shown = try await Self.curl(hub, scenario.source, ["\(hub.url)/v1/packets/\(packet.id)"])
        let final = try Self.decode(PacketBody.self, shown.body)
        #expect(final.state == .finished)
        #expect(final.deliveries.map(\.state) == [.delivered, .delivered])
        #expect(final.purgedAt != nil)
        #expect(!hub.data.files(under: "data").contains { $0.hasSuffix(".blob") })
    }

    @Test("curl -T streams an upload, with UNSIGNED-PAYLOAD or with curl's own payload hash")
    func streamedUploads() async throws {
        let hub = try await HubProcess.start()
        defer { hub.shutdown() }
        let scenario = try await Scenario.make(hub)
        for unsigned in [true, false] {
            let content = BlobStoreConformance.content(90_000, seed: unsigned ? 1 : 2)
            let file = try scenario.file("t-\(unsigned).bin", content)
            let created = try await Self.curl(hub, scenario.source, [
                "-X", "POST", "-H", "content-type: application/json", "--data-binary",
                #"{"to": ["\#(Scenario.firstUnit)"], "subject": "T", "dataType": "edoc", "content": {"size": \#(content.count), "sha256": "\#(ContentDigest.of(content).hex)", "mediaType": "application/octet-stream"}}"#,
                "\(hub.url)/v1/packets",
            ])
            let packet = try Self.decode(PacketCreatedResponse.self, created.body)
            let headers = unsigned ? ["-H", "x-amz-content-sha256: UNSIGNED-PAYLOAD"] : []
            let uploaded = try await Self.curl(hub, scenario.source, headers + ["-T", file, try #require(packet.upload?.url)])
            #expect(uploaded.status == 200, "\(String(decoding: uploaded.body, as: UTF8.self))")
            #expect(try Self.decode(UploadResponse.self, uploaded.body).state == .inTransit)
        }
    }

    @Test("an interrupted upload resumes with Content-Range from the offset the hub reports")
    func resumableUpload() async throws {
        let hub = try await HubProcess.start()
        defer { hub.shutdown() }
        let scenario = try await Scenario.make(hub)
        let content = BlobStoreConformance.content(200_000, seed: 3)
        let created = try await Self.curl(hub, scenario.source, [
            "-X", "POST", "-H", "content-type: application/json", "--data-binary",
            #"{"to": ["\#(Scenario.firstUnit)"], "subject": "Lớn", "dataType": "edoc", "content": {"size": 200000, "sha256": "\#(ContentDigest.of(content).hex)", "mediaType": "application/octet-stream"}}"#,
            "\(hub.url)/v1/packets",
        ])
        let packet = try Self.decode(PacketCreatedResponse.self, created.body)
        let url = try #require(packet.upload?.url)
        let firstPart = try scenario.file("part1", content[0..<120_000])
        let secondPart = try scenario.file("part2", content[120_000...])
        let unsigned = ["-H", "x-amz-content-sha256: UNSIGNED-PAYLOAD"]

        let part1 = try await Self.curl(hub, scenario.source, unsigned + ["-X", "PUT", "-H", "Content-Range: bytes 0-119999/200000", "--data-binary", "@\(firstPart)", url])
        #expect(part1.status == 200)
        #expect(try Self.decode(UploadResponse.self, part1.body).receivedBytes == 120_000)
        #expect(try Self.decode(UploadResponse.self, part1.body).complete == false)

        let head = try await Self.curl(hub, scenario.source, unsigned + ["-I", url])
        #expect(String(decoding: head.body, as: UTF8.self).lowercased().contains("upload-offset: 120000"))

        let wrong = try await Self.curl(hub, scenario.source, unsigned + ["-X", "PUT", "-H", "Content-Range: bytes 100000-179999/200000", "--data-binary", "@\(secondPart)", url])
        #expect(wrong.status == 409)
        let problem = try Self.decode(ProblemBody.self, wrong.body)
        #expect(problem.code == "exchange.upload_offset_mismatch")
        #expect(problem.details?["uploadOffset"] == "120000")

        let part2 = try await Self.curl(hub, scenario.source, unsigned + ["-X", "PUT", "-H", "Content-Range: bytes 120000-199999/200000", "--data-binary", "@\(secondPart)", url])
        #expect(part2.status == 200)
        #expect(try Self.decode(UploadResponse.self, part2.body).complete)
        let receiver = scenario.client(scenario.first)
        _ = try await receiver.accept(packet.id)
        #expect(try await receiver.download(packet.id) == content)
    }
}
