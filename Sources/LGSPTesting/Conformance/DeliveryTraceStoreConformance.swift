import Foundation
import LGSPCore
import Testing

/// The `DeliveryTraceStore` contract, as checks every implementation must pass (the fixture's packet
/// store must also be its trace store).
public enum DeliveryTraceStoreConformance {
    static func traces(_ fixture: StoreFixture) throws -> any DeliveryTraceStore {
        try #require(fixture.packets as? any DeliveryTraceStore, "the packet store is not a DeliveryTraceStore")
    }

    public static let checks: [ConformanceCheck<StoreFixture>] = [
        .init("traces come back in the order recorded, with every field, and their events are stored with them") { fixture in
            let store = try traces(fixture)
            let parties = try await PacketStoreConformance.Parties.register(in: fixture)
            let packet = try await PacketStoreConformance.insert(fixture, parties)
            let first = DeliveryTrace(
                packetID: packet.id, appID: parties.first.id, recipient: try UnitCode(strict: "000.00.31.H24"), status: .accepted,
                description: "Đã tiếp nhận", staff: "Văn thư / Nguyễn Thị B", reportedAt: Fixtures.epoch, at: Fixtures.epoch.addingTimeInterval(1))
            var second = first
            second.status = .finished
            second.description = nil
            second.staff = nil
            second.reportedAt = nil
            second.at = Fixtures.epoch.addingTimeInterval(2)
            let event = HubEvent(appID: parties.source.id, type: .packetTrace, packetID: packet.id, payload: Data(#"{"status":"03"}"#.utf8), at: first.at)
            try await store.append(first, events: [event])
            try await store.append(second, events: [])
            #expect(try await store.traces(of: packet.id) == [first, second])
            #expect(try await store.traces(of: PacketID.generate()).isEmpty)
            let events = try await fixture.packets.events(appID: parties.source.id, after: 0, limit: 10)
            #expect(events.map(\.type) == [.packetTrace])
            #expect(events.first?.payload == event.payload)
        },
        .init("traces of one packet are not another's") { fixture in
            let store = try traces(fixture)
            let parties = try await PacketStoreConformance.Parties.register(in: fixture)
            let one = try await PacketStoreConformance.insert(fixture, parties)
            let other = try await PacketStoreConformance.insert(fixture, parties)
            let recipient = try UnitCode(strict: "000.00.32.H24")
            try await store.append(DeliveryTrace(packetID: one.id, appID: parties.second.id, recipient: recipient, status: .received, at: Fixtures.epoch), events: [])
            #expect(try await store.traces(of: other.id).isEmpty)
            #expect(try await store.traces(of: one.id).map(\.status) == [.received])
        },
    ]
}
