import Foundation
import LGSPCore
import Testing

/// The `PeerLinkStore` contract, as checks every implementation must pass (the fixture's packet
/// store must also be its peer-link store).
public enum PeerLinkStoreConformance {
    static func links(_ fixture: StoreFixture) throws -> any PeerLinkStore {
        try #require(fixture.packets as? any PeerLinkStore, "the packet store is not a PeerLinkStore")
    }

    /// A packet from the fixture's source with one delivery per (peer, remote code) in `state`, plus one local delivery.
    static func insertUpstream(
        _ fixture: StoreFixture, _ parties: PacketStoreConformance.Parties, to remote: [(peer: String, code: String)],
        priority: Priority = .normal, createdAt: Date = Fixtures.epoch, state: DeliveryState = .ready
    ) async throws -> Packet {
        let packet = Fixtures.packet(from: parties.source, to: ["000.00.31.H24"] + remote.map(\.code), priority: priority, createdAt: createdAt)
        var deliveries = Fixtures.deliveries(of: packet, to: [("000.00.31.H24", parties.first)], state: state)
        for target in remote {
            let address = UpstreamAddress(peer: target.peer, recipient: try UnitCode(strict: target.code))
            deliveries.append(Delivery(packetID: packet.id, recipient: address.recipient, appID: address.appID, state: state, updatedAt: createdAt))
        }
        #expect(try await fixture.packets.insert(packet, deliveries: deliveries, sealedContentKey: Data([1])) == .inserted)
        return packet
    }

    public static let checks: [ConformanceCheck<StoreFixture>] = [
        .init("the hand-off queue holds the peer's waiting deliveries only, by priority, then age, then id") { fixture in
            let store = try links(fixture)
            let parties = try await PacketStoreConformance.Parties.register(in: fixture)
            let t0 = Fixtures.epoch
            let oldNormal = try await insertUpstream(fixture, parties, to: [("N", "000.00.05.H26")], createdAt: t0)
            let newFlash = try await insertUpstream(fixture, parties, to: [("N", "000.00.05.H26")], priority: .flash, createdAt: t0.addingTimeInterval(5))
            let newNormal = try await insertUpstream(fixture, parties, to: [("N", "000.00.06.H26"), ("N", "000.00.05.H26")], createdAt: t0.addingTimeInterval(3))
            let urgent = try await insertUpstream(fixture, parties, to: [("N", "000.00.05.H26")], priority: .urgent, createdAt: t0.addingTimeInterval(9))
            // Another peer whose name shares N's first letters, a non-waiting state, and a local delivery: none of them is N's.
            _ = try await insertUpstream(fixture, parties, to: [("NX", "000.00.05.H26")], priority: .flash, createdAt: t0)
            _ = try await insertUpstream(fixture, parties, to: [("N", "000.00.05.H26")], priority: .flash, createdAt: t0, state: .handedOff)
            _ = try await insertUpstream(fixture, parties, to: [("N", "000.00.05.H26")], priority: .flash, createdAt: t0, state: .uploaded)

            let queue = try await store.handOffQueue(peer: "N", limit: 100)
            #expect(queue.allSatisfy { $0.upstream?.peer == "N" && $0.state == .ready })
            let order = [newFlash.id, urgent.id, oldNormal.id, newNormal.id, newNormal.id]
            #expect(queue.map(\.packetID) == order)
            #expect(Set(queue.filter { $0.packetID == newNormal.id }.map(\.recipient.rawValue)) == ["000.00.05.H26", "000.00.06.H26"])
            #expect(try await store.handOffQueue(peer: "N", limit: 2).map(\.packetID) == Array(order.prefix(2)))
            #expect(try await store.handOffQueue(peer: "NX", limit: 100).count == 1)
            #expect(try await store.handOffQueue(peer: "M", limit: 100).isEmpty)

            let figures = try await store.queueFigures(peer: "N")
            #expect(figures.depth == 5)
            #expect(figures.oldestSince == t0)
            #expect(try await store.queueFigures(peer: "M") == PeerQueueFigures(depth: 0, oldestSince: nil))
        },
        .init("a delivery leaves the queue when it is handed off") { fixture in
            let store = try links(fixture)
            let parties = try await PacketStoreConformance.Parties.register(in: fixture)
            let packet = try await insertUpstream(fixture, parties, to: [("N", "000.00.05.H26")])
            let appID = UpstreamAddress(peer: "N", recipient: try UnitCode(strict: "000.00.05.H26")).appID
            #expect(try await store.handOffQueue(peer: "N", limit: 10).count == 1)
            try await fixture.packets.apply(
                [DeliveryChange(packetID: packet.id, appID: appID, from: .ready, to: .handedOff, at: Fixtures.epoch)], packetUpdate: nil, events: [])
            #expect(try await store.handOffQueue(peer: "N", limit: 10).isEmpty)
            #expect(try await fixture.packets.deliveries(of: packet.id).first { $0.appID == appID }?.state == .handedOff)
        },
        .init("status cursors start at 0 and never move backwards") { fixture in
            let store = try links(fixture)
            #expect(try await store.statusCursor(peer: "A") == 0)
            try await store.setStatusCursor(peer: "A", to: 7)
            try await store.setStatusCursor(peer: "A", to: 3)
            try await store.setStatusCursor(peer: "B", to: 1)
            #expect(try await store.statusCursor(peer: "A") == 7)
            #expect(try await store.statusCursor(peer: "B") == 1)
        },
        .init("one receipt per packet and peer; recording again replaces it") { fixture in
            let store = try links(fixture)
            let id = PacketID.generate()
            let code = try UnitCode(strict: "000.00.05.H26")
            let first = HandOffReceiptRecord(packetID: id, peer: "N", token: "a.b.c", recipients: [code], at: Fixtures.epoch)
            try await store.recordReceipt(first)
            var again = first
            again.token = "d.e.f"
            again.at = Fixtures.epoch.addingTimeInterval(1)
            try await store.recordReceipt(again)
            let other = HandOffReceiptRecord(packetID: id, peer: "M", token: "g.h.i", recipients: [], at: Fixtures.epoch)
            try await store.recordReceipt(other)
            #expect(try await store.receipts(of: id) == [other, again])
            #expect(try await store.receipts(of: PacketID.generate()).isEmpty)
        },
    ]
}
