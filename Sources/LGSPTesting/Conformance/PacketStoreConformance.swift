import Foundation
import LGSPCore
import Testing

/// The `PacketStore` contract, as checks every implementation must pass.
public enum PacketStoreConformance {
    /// A source app and two receiving apps in three units, registered in the fixture's directory.
    struct Parties {
        let source: App
        let first: App
        let second: App

        static func register(in fixture: StoreFixture) async throws -> Parties {
            for code in ["000.00.02.H24", "000.00.31.H24", "000.00.32.H24"] {
                try await fixture.directory.addUnit(Fixtures.unit(code))
            }
            let parties = Parties(
                source: Fixtures.app(unit: "000.00.02.H24"), first: Fixtures.app(unit: "000.00.31.H24"), second: Fixtures.app(unit: "000.00.32.H24"))
            for app in [parties.source, parties.first, parties.second] {
                try await fixture.directory.addApp(app, secret: Fixtures.secret(for: app))
            }
            return parties
        }

        var targets: [(unit: String, app: App)] { [("000.00.31.H24", first), ("000.00.32.H24", second)] }
    }

    static func insert(_ fixture: StoreFixture, _ parties: Parties, priority: Priority = .normal, createdAt: Date = Fixtures.epoch,
                       notBefore: Date? = nil, deadline: Date? = nil, idempotencyKey: String? = nil, state: DeliveryState = .created) async throws -> Packet {
        let packet = Fixtures.packet(
            from: parties.source, to: ["000.00.31.H24", "000.00.32.H24"], priority: priority, createdAt: createdAt, notBefore: notBefore,
            deadline: deadline, idempotencyKey: idempotencyKey)
        let outcome = try await fixture.packets.insert(packet, deliveries: Fixtures.deliveries(of: packet, to: parties.targets, state: state), sealedContentKey: Data([1, 2, 3]))
        #expect(outcome == .inserted)
        return packet
    }

    static func move(_ fixture: StoreFixture, _ packet: Packet, _ app: App, _ from: DeliveryState, _ to: DeliveryState, at: Date = Fixtures.epoch) async throws {
        try await fixture.packets.apply([DeliveryChange(packetID: packet.id, appID: app.id, from: from, to: to, at: at)], packetUpdate: nil, events: [])
    }

    public static let checks: [ConformanceCheck<StoreFixture>] = [
        .init("a packet is stored with its deliveries, first history entries and sealed key") { fixture in
            let parties = try await Parties.register(in: fixture)
            let packet = try await insert(fixture, parties)
            #expect(try await fixture.packets.packet(packet.id) == packet)
            let record = try #require(try await fixture.packets.record(packet.id))
            #expect(record.packet == packet)
            #expect(record.deliveries == (try await fixture.packets.deliveries(of: packet.id)))
            #expect(record.sealedContentKey == Data([1, 2, 3]))
            #expect(try await fixture.packets.record(PacketID.generate()) == nil)
            let deliveries = try await fixture.packets.deliveries(of: packet.id)
            #expect(deliveries.map(\.appID) == [parties.first.id, parties.second.id])
            #expect(deliveries.allSatisfy { $0.state == .created })
            #expect(try await fixture.packets.history(of: packet.id).map(\.state) == [.created, .created])
            #expect(try await fixture.packets.sealedContentKey(of: packet.id) == Data([1, 2, 3]))
            #expect(try await fixture.packets.packet(PacketID.generate()) == nil)
        },
        .init("a repeated idempotency key returns the first packet and writes nothing") { fixture in
            let parties = try await Parties.register(in: fixture)
            let first = try await insert(fixture, parties, idempotencyKey: "key-1")
            let again = Fixtures.packet(from: parties.source, to: ["000.00.31.H24"], idempotencyKey: "key-1")
            let outcome = try await fixture.packets.insert(again, deliveries: Fixtures.deliveries(of: again, to: [("000.00.31.H24", parties.first)]), sealedContentKey: Data())
            #expect(outcome == .existing(first.id))
            #expect(try await fixture.packets.packet(again.id) == nil)
            // Another app may use the same key.
            let other = Fixtures.packet(from: parties.first, to: ["000.00.32.H24"], idempotencyKey: "key-1")
            #expect(try await fixture.packets.insert(other, deliveries: [], sealedContentKey: Data()) == .inserted)
        },
        .init("apply moves deliveries, records history, updates the packet and stores events in order") { fixture in
            let parties = try await Parties.register(in: fixture)
            let packet = try await insert(fixture, parties)
            let at = Fixtures.epoch.addingTimeInterval(5)
            let events = [
                HubEvent(appID: parties.first.id, type: .packetAvailable, packetID: packet.id, payload: Data(#"{"a":1}"#.utf8), at: at),
                HubEvent(appID: parties.source.id, type: .packetStatus, packetID: packet.id, payload: Data(#"{"b":2}"#.utf8), at: at),
            ]
            try await fixture.packets.apply(
                [
                    DeliveryChange(packetID: packet.id, appID: parties.first.id, from: .created, to: .uploaded, at: at),
                    DeliveryChange(packetID: packet.id, appID: parties.first.id, from: .uploaded, to: .ready, at: at),
                ], packetUpdate: PacketUpdate(id: packet.id, state: .inTransit, uploadedAt: at), events: events)
            let stored = try #require(try await fixture.packets.packet(packet.id))
            #expect(stored.state == .inTransit)
            #expect(stored.uploadedAt == at)
            let deliveries = try await fixture.packets.deliveries(of: packet.id)
            #expect(deliveries.first { $0.appID == parties.first.id }?.state == .ready)
            #expect(deliveries.first { $0.appID == parties.second.id }?.state == .created)
            #expect(try await fixture.packets.history(of: packet.id).filter { $0.appID == parties.first.id }.map(\.state) == [.created, .uploaded, .ready])
            let forFirst = try await fixture.packets.events(appID: parties.first.id, after: 0, limit: 10)
            #expect(forFirst.map(\.type) == [.packetAvailable])
            #expect(forFirst.first?.payload == events[0].payload)
            let forSource = try await fixture.packets.events(appID: parties.source.id, after: 0, limit: 10)
            #expect(try #require(forSource.first?.sequence) > (try #require(forFirst.first?.sequence)))
            #expect(try await fixture.packets.events(appID: parties.source.id, after: forSource[0].sequence!, limit: 10).isEmpty)
        },
        .init("a change's converted variant is kept with the delivery and read back everywhere, later changes keeping it") { fixture in
            let parties = try await Parties.register(in: fixture)
            let packet = try await insert(fixture, parties, state: .uploaded)
            let variant = ContentVariant(
                format: try ContentFormat("citizen-national"),
                content: ContentDescriptor(size: 42, sha256: ContentDigest.of(Data("x".utf8)), mediaType: "application/json"),
                blob: PacketID.generate())
            try await fixture.packets.apply(
                [DeliveryChange(packetID: packet.id, appID: parties.first.id, from: .uploaded, to: .ready, at: Fixtures.epoch, variant: variant)],
                packetUpdate: nil, events: [])
            try await move(fixture, packet, parties.first, .ready, .notified)
            let deliveries = try await fixture.packets.deliveries(of: packet.id)
            #expect(deliveries.first { $0.appID == parties.first.id }?.variant == variant)
            #expect(deliveries.first { $0.appID == parties.second.id }?.variant == nil)
            #expect(try await fixture.packets.record(packet.id)?.deliveries.first { $0.appID == parties.first.id }?.variant == variant)
            #expect(try await fixture.packets.inbox(appID: parties.first.id, limit: 10).first?.delivery.variant == variant)
        },
        .init("apply is a compare-and-set: a stale change writes nothing, even beside valid ones") { fixture in
            let parties = try await Parties.register(in: fixture)
            let packet = try await insert(fixture, parties)
            let error = await #expect(throws: LGSPError.self) {
                try await fixture.packets.apply(
                    [
                        DeliveryChange(packetID: packet.id, appID: parties.first.id, from: .created, to: .uploaded, at: Fixtures.epoch),
                        DeliveryChange(packetID: packet.id, appID: parties.second.id, from: .ready, to: .notified, at: Fixtures.epoch),
                    ], packetUpdate: PacketUpdate(id: packet.id, state: .inTransit),
                    events: [HubEvent(appID: parties.first.id, type: .packetAvailable, packetID: packet.id, payload: Data("{}".utf8), at: Fixtures.epoch)])
            }
            #expect(error?.code == .invalidTransition)
            #expect(try await fixture.packets.deliveries(of: packet.id).allSatisfy { $0.state == .created })
            #expect(try await fixture.packets.packet(packet.id)?.state == .awaitingUpload)
            #expect(try await fixture.packets.events(appID: parties.first.id, after: 0, limit: 10).isEmpty)
            #expect(try await fixture.packets.history(of: packet.id).count == 2)
        },
        .init("a change to a final delivery is refused with exchange.delivery_final") { fixture in
            let parties = try await Parties.register(in: fixture)
            let packet = try await insert(fixture, parties)
            try await move(fixture, packet, parties.first, .created, .expired)
            let error = await #expect(throws: LGSPError.self) { try await move(fixture, packet, parties.first, .created, .uploaded) }
            #expect(error?.code == .deliveryFinal)
        },
        .init("a same-state change (renewed download window) writes no history") { fixture in
            let parties = try await Parties.register(in: fixture)
            let packet = try await insert(fixture, parties, state: .accepted)
            let window = Fixtures.epoch.addingTimeInterval(900)
            try await fixture.packets.apply(
                [DeliveryChange(packetID: packet.id, appID: parties.first.id, from: .accepted, to: .accepted, at: Fixtures.epoch, downloadExpiresAt: window)],
                packetUpdate: nil, events: [])
            #expect(try await fixture.packets.deliveries(of: packet.id).first { $0.appID == parties.first.id }?.downloadExpiresAt == window)
            #expect(try await fixture.packets.history(of: packet.id).count == 2)
        },
        .init("the inbox lists offered deliveries, flash first, then oldest first") { fixture in
            let parties = try await Parties.register(in: fixture)
            let oldNormal = try await insert(fixture, parties, priority: .normal, createdAt: Fixtures.epoch, state: .notified)
            let newFlash = try await insert(fixture, parties, priority: .flash, createdAt: Fixtures.epoch.addingTimeInterval(20), state: .ready)
            let urgent = try await insert(fixture, parties, priority: .urgent, createdAt: Fixtures.epoch.addingTimeInterval(10), state: .accepted)
            let newNormal = try await insert(fixture, parties, priority: .normal, createdAt: Fixtures.epoch.addingTimeInterval(30), state: .ready)
            _ = try await insert(fixture, parties, priority: .flash, state: .uploaded)
            _ = try await insert(fixture, parties, priority: .flash, state: .delivered)
            let inbox = try await fixture.packets.inbox(appID: parties.first.id, limit: 10)
            #expect(inbox.map(\.packet.id) == [newFlash.id, urgent.id, oldNormal.id, newNormal.id])
            #expect(inbox.allSatisfy { $0.delivery.appID == parties.first.id })
            #expect(try await fixture.packets.inbox(appID: parties.first.id, limit: 2).count == 2)
            #expect(try await fixture.packets.inbox(appID: parties.source.id, limit: 10).isEmpty)
        },
        .init("history pages by role, newest first, with filters and an idempotency-key lookup") { fixture in
            let parties = try await Parties.register(in: fixture)
            var sent: [Packet] = []
            for index in 0..<5 {
                sent.append(try await insert(fixture, parties, createdAt: Fixtures.epoch.addingTimeInterval(Double(index)), idempotencyKey: "k\(index)"))
            }
            let page1 = try await fixture.packets.packets(PacketQuery(role: .sent(appID: parties.source.id), limit: 2))
            #expect(page1.map(\.packet.id) == [sent[4].id, sent[3].id])
            #expect(page1[0].deliveries.count == 2)
            let page2 = try await fixture.packets.packets(PacketQuery(role: .sent(appID: parties.source.id), before: sent[3].id, limit: 10))
            #expect(page2.map(\.packet.id) == [sent[2].id, sent[1].id, sent[0].id])
            #expect(try await fixture.packets.packets(PacketQuery(role: .received(appID: parties.second.id), limit: 10)).count == 5)
            #expect(try await fixture.packets.packets(PacketQuery(role: .received(appID: parties.source.id), limit: 10)).isEmpty)
            #expect(try await fixture.packets.packets(PacketQuery(role: .all, limit: 10)).count == 5)
            let windowed = PacketQuery(role: .all, since: Fixtures.epoch.addingTimeInterval(1), until: Fixtures.epoch.addingTimeInterval(3), limit: 10)
            #expect(try await fixture.packets.packets(windowed).map(\.packet.id) == [sent[2].id, sent[1].id])
            #expect(try await fixture.packets.packets(PacketQuery(role: .all, dataType: try DataType("other"), limit: 10)).isEmpty)
            let byKey = try await fixture.packets.packets(PacketQuery(role: .sent(appID: parties.source.id), limit: 1, idempotencyKey: "k2"))
            #expect(byKey.map(\.packet.id) == [sent[2].id])
        },
        .init("due deliveries honour not-before and come by priority then age") { fixture in
            let parties = try await Parties.register(in: fixture)
            let now = Fixtures.epoch.addingTimeInterval(100)
            let later = try await insert(fixture, parties, priority: .flash, notBefore: now.addingTimeInterval(1), state: .uploaded)
            let normal = try await insert(fixture, parties, priority: .normal, createdAt: Fixtures.epoch, state: .uploaded)
            let urgent = try await insert(fixture, parties, priority: .urgent, createdAt: Fixtures.epoch.addingTimeInterval(5), notBefore: now, state: .uploaded)
            _ = try await insert(fixture, parties, priority: .flash, state: .ready)
            let due = try await fixture.packets.dueDeliveries(now: now, limit: 10)
            #expect(due.map(\.packetID) == [urgent.id, urgent.id, normal.id, normal.id])
            #expect(!due.contains { $0.packetID == later.id })
            #expect(try await fixture.packets.dueDeliveries(now: now.addingTimeInterval(1), limit: 10).first?.packetID == later.id)
        },
        .init("overdue deliveries are the non-final ones past their packet's deadline") { fixture in
            let parties = try await Parties.register(in: fixture)
            let deadline = Fixtures.epoch.addingTimeInterval(60)
            let packet = try await insert(fixture, parties, deadline: deadline, state: .notified)
            _ = try await insert(fixture, parties, deadline: deadline.addingTimeInterval(60), state: .notified)
            try await move(fixture, packet, parties.second, .notified, .accepted)
            try await move(fixture, packet, parties.second, .accepted, .delivered)
            #expect(try await fixture.packets.overdueDeliveries(now: deadline.addingTimeInterval(-1), limit: 10).isEmpty)
            let overdue = try await fixture.packets.overdueDeliveries(now: deadline, limit: 10)
            #expect(overdue.map(\.appID) == [parties.first.id])
            #expect(overdue.map(\.packetID) == [packet.id])
        },
        .init("waiting destinations past their offline limit and waiting deliveries are the ready or notified ones, the longest-waiting first") { fixture in
            let parties = try await Parties.register(in: fixture)
            let old = try await insert(fixture, parties, state: .notified)
            let newer = try await insert(fixture, parties, createdAt: Fixtures.epoch.addingTimeInterval(100), state: .ready)
            _ = try await insert(fixture, parties, createdAt: Fixtures.epoch.addingTimeInterval(50), state: .uploaded)
            // The first app accepted the old packet: only the newer one waits for it.
            try await move(fixture, old, parties.first, .notified, .accepted, at: Fixtures.epoch.addingTimeInterval(10))
            let later = Fixtures.epoch.addingTimeInterval(1000)
            let waiting = try await fixture.packets.waitingDestinations(pastLimitAt: later, defaultLimit: 600, limit: 10)
            #expect(waiting == [
                WaitingDestination(appID: parties.second.id, oldestSince: Fixtures.epoch),
                WaitingDestination(appID: parties.first.id, oldestSince: Fixtures.epoch.addingTimeInterval(100)),
            ])
            // Within the limit, nobody is a candidate; an app's own limit wins over the default, and 0 means never.
            #expect(try await fixture.packets.waitingDestinations(pastLimitAt: later, defaultLimit: 950, limit: 10).map(\.appID) == [parties.second.id])
            try await fixture.directory.setOfflineLimit(2000, appID: parties.second.id)
            #expect(try await fixture.packets.waitingDestinations(pastLimitAt: later, defaultLimit: 600, limit: 10).map(\.appID) == [parties.first.id])
            try await fixture.directory.setOfflineLimit(0, appID: parties.first.id)
            #expect(try await fixture.packets.waitingDestinations(pastLimitAt: later, defaultLimit: 600, limit: 10).isEmpty)
            #expect(try await fixture.packets.waitingDeliveries(appID: parties.second.id, since: Fixtures.epoch, limit: 10).map(\.packetID) == [old.id])
            let all = try await fixture.packets.waitingDeliveries(appID: parties.second.id, since: Fixtures.epoch.addingTimeInterval(100), limit: 10)
            #expect(all.map(\.packetID) == [old.id, newer.id])
            #expect(try await fixture.packets.waitingDeliveries(appID: parties.first.id, since: Fixtures.epoch.addingTimeInterval(99), limit: 10).isEmpty)
        },
        .init("abandoned uploads are packets awaiting upload past their window with open deliveries") { fixture in
            let parties = try await Parties.register(in: fixture)
            let packet = try await insert(fixture, parties)
            #expect(try await fixture.packets.abandonedUploads(now: packet.uploadExpiresAt.addingTimeInterval(-1), limit: 10).isEmpty)
            #expect(try await fixture.packets.abandonedUploads(now: packet.uploadExpiresAt, limit: 10) == [packet.id])
            try await move(fixture, packet, parties.first, .created, .expired)
            try await move(fixture, packet, parties.second, .created, .expired)
            #expect(try await fixture.packets.abandonedUploads(now: packet.uploadExpiresAt, limit: 10).isEmpty)
        },
        .init("packets to purge are those whose deliveries are all final; purging destroys the key") { fixture in
            let parties = try await Parties.register(in: fixture)
            let packet = try await insert(fixture, parties, state: .accepted)
            #expect(try await fixture.packets.packetsToPurge(limit: 10).isEmpty)
            try await move(fixture, packet, parties.first, .accepted, .delivered)
            #expect(try await fixture.packets.packetsToPurge(limit: 10).isEmpty)
            try await move(fixture, packet, parties.second, .accepted, .rejected)
            #expect(try await fixture.packets.packetsToPurge(limit: 10) == [packet.id])
            let at = Fixtures.epoch.addingTimeInterval(30)
            try await fixture.packets.apply([], packetUpdate: PacketUpdate(id: packet.id, state: .finished, finishedAt: at, purgedAt: at), events: [])
            #expect(try await fixture.packets.sealedContentKey(of: packet.id) == nil)
            #expect(try await fixture.packets.record(packet.id)?.sealedContentKey == nil)
            #expect(try await fixture.packets.packet(packet.id)?.purgedAt == at)
            #expect(try await fixture.packets.packet(packet.id)?.state == .finished)
            let later = at.addingTimeInterval(60)
            try await fixture.packets.apply([], packetUpdate: PacketUpdate(id: packet.id, purgedAt: later), events: [])
            #expect(try await fixture.packets.packet(packet.id)?.purgedAt == at, "a second purge keeps the first time")
            #expect(try await fixture.packets.packetsToPurge(limit: 10).isEmpty)
            let raw = try await fixture.rawContents()
            #expect(raw.range(of: Data(packet.id.rawValue.utf8)) != nil, "metadata stays after the purge")
        },
    ]
}
