import Foundation
import GRDB
import LGSPAPI
import LGSPClient
import LGSPCore
import LGSPTesting
import Testing

/// Articles 8–9 end to end against a real `lgsp serve`, driven by `LGSPClient`.
@Suite("Exchange flow with LGSPClient", .serialized)
struct ExchangeFlowClientTests {
    @Test("create → upload → inbox → accept → download → ack with two recipients, then the content is purged")
    func fullFlowTwoRecipients() async throws {
        let hub = try await HubProcess.start()
        defer { hub.shutdown() }
        let scenario = try await Scenario.make(hub)
        let content = BlobStoreConformance.content(300_000)
        let digest = ContentDigest.of(content)
        let sender = scenario.client(scenario.source)
        let sent = try await sender.send(
            to: [Scenario.firstUnit, Scenario.secondUnit], subject: "Công văn số 12/STC-NS về dự toán", dataType: "edoc",
            file: try scenario.file("cong-van.pdf", content), mediaType: "application/pdf", priority: .urgent)
        #expect(sent.state == .inTransit)
        #expect(sent.deliveries.count == 2)

        // While in transit the content is stored, encrypted: the plaintext is nowhere on disk.
        #expect(hub.data.files(under: "data").contains { $0.hasSuffix("\(sent.id).blob") })
        #expect(!hub.data.anyFileContains(Data("LGSP-PLAINTEXT-MARKER".utf8), under: "data"))

        for (index, credential) in [scenario.first, scenario.second].enumerated() {
            let receiver = scenario.client(credential)
            let inbox = try await receiver.inbox()
            let item = try #require(inbox.first { $0.id == sent.id })
            #expect(item.state == .notified)
            #expect(item.priority == .urgent)
            #expect(item.content.sha256 == digest.hex)
            #expect(item.from.rawValue == Scenario.sourceUnit)
            let space = try await receiver.accept(sent.id)
            #expect(space.download.url.hasSuffix("/v1/packets/\(sent.id)/content"))
            let target = hub.data.path + "/received-\(index).pdf"
            let received = try await receiver.download(sent.id, to: target)
            #expect(received == digest)
            #expect(try Data(contentsOf: URL(fileURLWithPath: target)) == content)
            let delivery = try await receiver.acknowledge(sent.id, sha256: received.hex)
            #expect(delivery.state == .delivered)
            let afterAck = try await sender.packet(sent.id)
            if index == 0 {
                #expect(afterAck.state == .inTransit)
                #expect(afterAck.contentAvailable)
            }
        }

        let finished = try await sender.packet(sent.id)
        #expect(finished.state == .finished)
        #expect(finished.purgedAt != nil)
        #expect(!finished.contentAvailable)
        #expect(finished.content.sha256 == digest.hex, "the digest stays after the purge")
        for delivery in finished.deliveries {
            #expect(delivery.state == .delivered)
            #expect(delivery.history?.map(\.state) == [.created, .uploaded, .ready, .notified, .accepted, .delivered])
        }
        // The bytes are gone: no content file, and the per-packet key is destroyed.
        #expect(!hub.data.files(under: "data").contains { $0.hasSuffix(".blob") })
        #expect(!hub.data.anyFileContains(Data("LGSP-PLAINTEXT-MARKER".utf8), under: "data"))
        let database = try DatabaseQueue(path: hub.dataPath + "/lgsp.sqlite", configuration: {
            var configuration = Configuration()
            configuration.readonly = true
            return configuration
        }())
        let sealedKey = try await database.read { db in
            try Row.fetchOne(db, sql: "SELECT sealed_key FROM packets WHERE id = ?", arguments: [sent.id.rawValue])
        }
        #expect(sealedKey?["sealed_key"] as Data? == nil)
        // A late download is refused, nothing is lost from the history.
        let late = await #expect(throws: LGSPClientError.self) { _ = try await scenario.client(scenario.first).download(sent.id) }
        #expect(late?.code == .deliveryFinal)
    }

    @Test("small content travels in one request and arrives intact")
    func oneRequestForm() async throws {
        let hub = try await HubProcess.start()
        defer { hub.shutdown() }
        let scenario = try await Scenario.make(hub)
        let data = Data("{\"soCongVan\": \"01/UBND\", \"trichYeu\": \"Thông báo lịch họp\"}".utf8)
        let sent = try await scenario.client(scenario.source).send(
            to: [Scenario.firstUnit], subject: "Thông báo", dataType: "edoc", data: data, mediaType: "application/json")
        #expect(sent.state == .inTransit)
        #expect(sent.upload == nil)
        #expect(sent.receivedBytes == Int64(data.count))
        let receiver = scenario.client(scenario.first)
        _ = try await receiver.accept(sent.id)
        #expect(try await receiver.download(sent.id) == data)
    }

    @Test("a repeated send with the same idempotency key returns the same packet; a different request is refused")
    func idempotency() async throws {
        let hub = try await HubProcess.start()
        defer { hub.shutdown() }
        let scenario = try await Scenario.make(hub)
        let sender = scenario.client(scenario.source)
        let data = Data("nội dung".utf8)
        let first = try await sender.send(to: [Scenario.firstUnit], subject: "A", dataType: "edoc", data: data, idempotencyKey: "cv-2026-01")
        let again = try await sender.send(to: [Scenario.firstUnit], subject: "A", dataType: "edoc", data: data, idempotencyKey: "cv-2026-01")
        #expect(again.id == first.id)
        #expect(again.replayed)
        let conflict = await #expect(throws: LGSPClientError.self) {
            _ = try await sender.send(to: [Scenario.secondUnit], subject: "A", dataType: "edoc", data: data, idempotencyKey: "cv-2026-01")
        }
        #expect(conflict?.code == .idempotencyConflict)
        #expect(try await sender.packets(role: "sent").items.count == 1)
    }

    @Test("a rejection reaches the source with its reason and finishes the packet")
    func rejection() async throws {
        let hub = try await HubProcess.start()
        defer { hub.shutdown() }
        let scenario = try await Scenario.make(hub)
        let sender = scenario.client(scenario.source)
        let sent = try await sender.send(to: [Scenario.firstUnit], subject: "Sai nơi nhận", dataType: "edoc", data: Data("x".utf8))
        let delivery = try await scenario.client(scenario.first).reject(sent.id, reason: "Không thuộc thẩm quyền giải quyết")
        #expect(delivery.state == .rejected)
        let packet = try await sender.packet(sent.id)
        #expect(packet.state == .finished)
        #expect(packet.deliveries.first?.reason == "Không thuộc thẩm quyền giải quyết")
        #expect(packet.purgedAt != nil)
    }
}
