import Foundation
import LGSPAPI
import LGSPClient
import LGSPCore
import LGSPTesting
import Testing

/// Federation across three real hubs (A → N → B, the A–N and B–N links over mutual TLS): a REST app
/// in province A sends to a unit of province B through the national hub; B's app receives and
/// acknowledges; A's source sees `handed_off`, then `delivered`. Also: refusals come back to the
/// source with the far hub's reason, duplicates are suppressed by packet id, only peers may use the
/// federation routes, and link status shows in `lgsp peers status` and `/metrics`.
@Suite("Federation across three hubs", .serialized)
struct FederationTests {
    @Test("a packet from A reaches B through N over TLS; B acks; A's source sees delivered and A purges the content")
    func packet_crossesTwoLinks_andStatusFlowsBack() async throws {
        let hubs = try await Federation3.start()
        defer { hubs.shutdown() }
        let content = Data("Công văn số 12/STC-NS gửi Sở Tư pháp Hải Dương".utf8)
        let sent = try await hubs.sender.send(
            to: [Federation3.remoteUnit, Federation3.localUnit], subject: "Công văn liên tỉnh", dataType: "edoc", data: content, priority: .urgent)
        // One packet, split per route: a local delivery and one carried by the link to N.
        let split = try await hubs.sender.packet(sent.id)
        #expect(Set(split.deliveries.map(\.recipient.rawValue)) == [Federation3.remoteUnit, Federation3.localUnit])
        #expect(split.deliveries.first { $0.recipient.rawValue == Federation3.remoteUnit }?.appId == "peer:ngsp/\(Federation3.remoteUnit)")

        let inbox = try await Federation3.eventually("the packet in B's inbox", { try await hubs.remoteReceiver.inbox() }, until: { !$0.isEmpty })
        let item = try #require(inbox.first)
        #expect(item.id == sent.id, "the same packet id end to end")
        #expect(item.from.rawValue == Federation3.senderUnit)
        #expect(item.priority == .urgent)
        #expect(item.content.sha256 == ContentDigest.of(content).hex)
        let atB = try await hubs.b.adminClient().packet(sent.id)
        #expect(atB.originHub == "hai-phong")

        let handedOff = try await Federation3.eventually("A's delivery handed off", { try await hubs.sourceDelivery(sent.id, Federation3.remoteUnit) },
            until: { $0?.state == .handedOff })
        #expect(handedOff?.state == .handedOff)
        #expect(try await Federation3.receive(sent.id, by: hubs.remoteReceiver) == content)
        #expect(try await Federation3.receive(sent.id, by: hubs.localReceiver) == content)

        let delivered = try await Federation3.eventually("A's source sees delivered", { try await hubs.sourceDelivery(sent.id, Federation3.remoteUnit) },
            until: { $0?.state == .delivered })
        #expect(delivered?.state == .delivered)
        let states = delivered?.history?.map(\.state) ?? []
        #expect(states.contains(.handedOff) && states.last == .delivered, "\(states)")
        // The source heard it as events too, like a local delivery.
        let finished = try await Federation3.eventually("A's packet finished and purged", { try await hubs.sender.packet(sent.id) },
            until: { $0.state == .finished })
        #expect(!finished.contentAvailable)
        #expect(finished.purgedAt != nil)
        // N held the packet only in transit: purged there too once B took responsibility.
        let atN = try await Federation3.eventually("N purged", { try await hubs.nationalAdmin().packet(sent.id) }, until: { !$0.contentAvailable })
        #expect(atN.deliveries.map(\.state) == [.delivered])

        // Peer status and metrics.
        let peers = try await hubs.a.adminClient().peers()
        #expect(peers.hub == "hai-phong" && peers.role == "provincial")
        let ngsp = try #require(peers.items.first)
        #expect(ngsp.name == "ngsp" && ngsp.state == "up" && ngsp.breaker == "closed" && ngsp.queueDepth == 0 && ngsp.handedOff >= 1)
        let national = try await hubs.nationalAdmin().peers()
        #expect(national.role == "national")
        #expect(Set(national.items.map(\.name)) == ["hai-phong", "hai-duong"])
        #expect(national.items.first { $0.name == "hai-phong" }?.statusReportsSent ?? 0 >= 1)
        let cli = try await ExternalTools.run(HubProcess.binaryPath, ["peers", "status", "--url", hubs.a.url, "--data", hubs.a.dataPath])
        #expect(cli.status == 0 && cli.text.contains("ngsp") && cli.text.contains("up"), "\(cli.text) \(cli.stderr)")
        let metrics = try await ExternalTools.run(try #require(ExternalTools.curl), ["-sS", hubs.a.url + "/metrics"])
        #expect(metrics.text.contains(#"lgsp_peer_queue_depth{peer="ngsp"} 0"#), "\(metrics.text.suffix(2000))")
        #expect(metrics.text.contains(#"lgsp_peer_link_up{peer="ngsp"} 1"#))
    }

    @Test("unknown recipients come back as undeliverable with the reason of the hub that did not know them")
    func unknownRecipients_returnWithThePeersReason() async throws {
        let hubs = try await Federation3.start()
        defer { hubs.shutdown() }
        // N routes H26 to B, which does not know this unit; N does not serve H99 at all.
        let atB = try await hubs.sender.send(to: ["000.00.09.H26"], subject: "Không có ở tỉnh B", dataType: "edoc", data: Data("x".utf8))
        let atN = try await hubs.sender.send(to: ["000.00.09.H99"], subject: "Không tỉnh nào", dataType: "edoc", data: Data("y".utf8))
        let fromB = try await Federation3.eventually("B's refusal back at A", { try await hubs.sourceDelivery(atB.id, "000.00.09.H26") },
            until: { $0?.state == .undeliverable })
        #expect(fromB?.reason?.contains("exchange.unknown_recipient") == true, "\(fromB?.reason ?? "")")
        #expect(fromB?.reason?.contains("hai-duong") == true, "names the hub that did not know it: \(fromB?.reason ?? "")")
        let fromN = try await Federation3.eventually("N's refusal at A", { try await hubs.sourceDelivery(atN.id, "000.00.09.H99") },
            until: { $0?.state == .undeliverable })
        #expect(fromN?.reason?.contains("exchange.unknown_recipient") == true, "\(fromN?.reason ?? "")")
        #expect(fromN?.reason?.contains("ngsp") == true, "\(fromN?.reason ?? "")")
        // Without a grant for the code, the send itself is refused at A, as for a local unit.
        await #expect(throws: LGSPClientError.self) {
            _ = try await hubs.sender.send(to: ["000.00.09.H30"], subject: "Không được phép", dataType: "edoc", data: Data("z".utf8))
        }
    }

    @Test("a repeated offer returns the same receipt, never a second delivery; other digests and non-peers are refused")
    func duplicatesAndIntruders_areRefused() async throws {
        let hubs = try await Federation3.start()
        defer { hubs.shutdown() }
        let content = Data("một lần thôi".utf8)
        let sent = try await hubs.sender.send(to: [Federation3.remoteUnit], subject: "Một lần", dataType: "edoc", data: content)
        _ = try await Federation3.eventually("the packet at B", { try await hubs.remoteReceiver.inbox() }, until: { $0.count == 1 })
        let atB = try await hubs.b.adminClient().packet(sent.id)

        // N's credential at B (the test wrote it): offer the very same packet again.
        let nAtB = LGSPClient(url: hubs.b.url, accessKey: hubs.keys["n@b"]!.access, secretKey: hubs.keys["n@b"]!.secret)
        let offer = HandOffOffer(
            id: sent.id, originHub: "hai-phong", sourceUnit: try UnitCode(strict: Federation3.senderUnit), sourceApp: "x",
            recipients: [try UnitCode(strict: Federation3.remoteUnit)], subject: atB.subject, priority: atB.priority,
            dataType: try DataType(atB.dataType), exchangeProtocol: "rest",
            content: ContentDescriptor(size: Int64(content.count), sha256: .of(content), mediaType: atB.content.mediaType),
            policy: PacketPolicy(), createdAt: atB.createdAt)
        let again = try await nAtB.offerHandOff(offer)
        #expect(again.state == HandOffAnswer.held)
        #expect(again.receipt != nil)
        #expect(try await hubs.remoteReceiver.inbox().count == 1)
        #expect(try await hubs.b.adminClient().packet(sent.id).deliveries.count == 1)

        var conflicting = offer
        conflicting.content.sha256 = .of(Data("khác".utf8))
        do {
            _ = try await nAtB.offerHandOff(conflicting)
            Issue.record("an offer with another digest was taken")
        } catch LGSPClientError.problem(let status, let problem) {
            #expect(status == 409 && problem.code == ErrorCode.packetConflict.rawValue, "\(problem)")
        }
        // An ordinary app may not hand packets off, nor report statuses.
        do {
            _ = try await hubs.remoteReceiver.offerHandOff(offer)
            Issue.record("an app that is no peer handed a packet off")
        } catch LGSPClientError.problem(let status, let problem) {
            #expect(status == 403 && problem.code == ErrorCode.notPeer.rawValue, "\(problem)")
            #expect(problem.detail.contains("peer"))
        }
        do {
            _ = try await hubs.sender.reportStatus([])
            Issue.record("an app that is no peer reported statuses")
        } catch LGSPClientError.problem(let status, let problem) {
            #expect(status == 403 && problem.code == ErrorCode.notPeer.rawValue)
        }
    }
}
