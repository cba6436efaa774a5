import Foundation
import LGSPCore
import Testing

/// What a `ReportStore` check needs: the store under test, and the directory and packet stores of
/// the same backend to write the data it aggregates.
public struct ReportStoreFixture: Sendable {
    public let directory: any DirectoryStore
    public let packets: any PacketStore
    public let reports: any ReportStore

    public init(directory: any DirectoryStore, packets: any PacketStore, reports: any ReportStore) {
        self.directory = directory
        self.packets = packets
        self.reports = reports
    }
}

/// The `ReportStore` contract, as checks every implementation must pass. The data is written through
/// `PacketStore` with hand-picked instants, so every expected figure is exact.
public enum ReportStoreConformance {
    static let sourceUnit = UnitCode(lenient: "000.00.02.H24")!
    static let firstUnit = UnitCode(lenient: "000.00.31.H24")!
    static let secondUnit = UnitCode(lenient: "000.00.32.H24")!

    /// The source's app, two apps of the first unit, one of the second.
    struct Parties {
        let source: App
        let first: App
        let firstOther: App
        let second: App

        static func register(in fixture: ReportStoreFixture) async throws -> Parties {
            for code in [sourceUnit, firstUnit, secondUnit] {
                try await fixture.directory.addUnit(Fixtures.unit(code.rawValue))
            }
            let parties = Parties(
                source: Fixtures.app(unit: sourceUnit.rawValue), first: Fixtures.app(unit: firstUnit.rawValue),
                firstOther: Fixtures.app(unit: firstUnit.rawValue), second: Fixtures.app(unit: secondUnit.rawValue))
            for app in [parties.source, parties.first, parties.firstOther, parties.second] {
                try await fixture.directory.addApp(app, secret: Fixtures.secret(for: app))
            }
            return parties
        }
    }

    /// `seconds` after the fixtures' epoch.
    static func at(_ seconds: Double) -> Date { Fixtures.epoch.addingTimeInterval(seconds) }

    /// Stores a packet of `size` bytes from `from` to `targets`, created at `created`, its content
    /// received at `uploaded` (nil: never).
    static func packet(
        _ fixture: ReportStoreFixture, from: App, to targets: [App], size: Int, created: Double, uploaded: Double?
    ) async throws -> Packet {
        let packet = Fixtures.packet(
            from: from, to: Array(Set(targets.compactMap { $0.unit?.rawValue })).sorted(), createdAt: at(created), content: Data(count: size))
        let deliveries = Fixtures.deliveries(of: packet, to: targets.map { ($0.unit!.rawValue, $0) })
        #expect(try await fixture.packets.insert(packet, deliveries: deliveries, sealedContentKey: Data([1])) == .inserted)
        if let uploaded {
            try await fixture.packets.apply([], packetUpdate: PacketUpdate(id: packet.id, state: .inTransit, uploadedAt: at(uploaded)), events: [])
        }
        return packet
    }

    /// Moves a delivery from `created` to `state` at `seconds`.
    static func move(_ fixture: ReportStoreFixture, _ packet: Packet, _ app: App, to state: DeliveryState, at seconds: Double) async throws {
        try await fixture.packets.apply(
            [DeliveryChange(packetID: packet.id, appID: app.id, from: .created, to: state, at: at(seconds))], packetUpdate: nil, events: [])
    }

    public static let checks: [ConformanceCheck<ReportStoreFixture>] = [
        .init("every figure of both directions, with events on and around the period's bounds") { fixture in
            let parties = try await Parties.register(in: fixture)
            let (source, first, second) = (parties.source, parties.first, parties.second)
            // The period is [1000 s, 2000 s) after the epoch.
            let a = try await packet(fixture, from: source, to: [first], size: 100, created: 900, uploaded: 950)
            try await move(fixture, a, first, to: .delivered, at: 1100)
            let b = try await packet(fixture, from: source, to: [first, second], size: 250, created: 1000, uploaded: 1000)
            try await move(fixture, b, first, to: .delivered, at: 1300)
            try await move(fixture, b, second, to: .rejected, at: 1500)
            let c = try await packet(fixture, from: source, to: [second], size: 40, created: 1200, uploaded: 1210)
            try await move(fixture, c, second, to: .expired, at: 2000)  // final only at `to`: still open at the end
            let d = try await packet(fixture, from: source, to: [first], size: 7, created: 1900, uploaded: 2000)
            try await move(fixture, d, first, to: .ready, at: 2000)
            _ = try await packet(fixture, from: source, to: [first], size: 1000, created: 2100, uploaded: 2100)
            let f = try await packet(fixture, from: source, to: [second], size: 5, created: 100, uploaded: nil)
            try await move(fixture, f, second, to: .expired, at: 1999)
            let g = try await packet(fixture, from: first, to: [second], size: 60, created: 1400, uploaded: 1401)
            try await move(fixture, g, second, to: .undeliverable, at: 1600)
            let h = try await packet(fixture, from: source, to: [first], size: 9, created: 500, uploaded: 510)
            try await move(fixture, h, first, to: .transformFailed, at: 999.999)
            let i = try await packet(fixture, from: source, to: [first, second], size: 3000, created: 1500, uploaded: 1500)
            try await move(fixture, i, first, to: .delivered, at: 1700.5)
            try await move(fixture, i, second, to: .notified, at: 1501)

            let traffic = try await fixture.reports.traffic(in: try ReportPeriod(from: at(1000), to: at(2000)), unit: nil)
            let expected: [UnitCode: UnitTraffic] = [
                Self.sourceUnit: UnitTraffic(
                    sent: DirectionTraffic(
                        packets: 3, bytes: 250 + 40 + 3000, finalStates: [.delivered: 3, .rejected: 1, .expired: 1], open: 3,
                        deliveryMillis: [200_000, 200_500, 300_000])),
                Self.firstUnit: UnitTraffic(
                    sent: DirectionTraffic(packets: 1, bytes: 60, finalStates: [.undeliverable: 1]),
                    received: DirectionTraffic(
                        packets: 3, bytes: 100 + 250 + 3000, finalStates: [.delivered: 3], open: 1, deliveryMillis: [200_000, 200_500, 300_000])),
                Self.secondUnit: UnitTraffic(
                    received: DirectionTraffic(finalStates: [.rejected: 1, .expired: 1, .undeliverable: 1], open: 2)),
            ]
            #expect(traffic == expected)
            for unit in [Self.sourceUnit, Self.firstUnit, Self.secondUnit] {
                #expect(try await fixture.reports.traffic(in: try ReportPeriod(from: at(1000), to: at(2000)), unit: unit) == [unit: expected[unit]!])
            }
            // Later: what ended at 2000 s is in the next period; the backlog carries over.
            let next = try await fixture.reports.traffic(in: try ReportPeriod(from: at(2000), to: at(3000)), unit: nil)
            #expect(next[Self.sourceUnit]?.sent.packets == 2)
            #expect(next[Self.sourceUnit]?.sent.bytes == 1007)
            #expect(next[Self.sourceUnit]?.sent.finalStates == [.expired: 1])
            #expect(next[Self.sourceUnit]?.sent.open == 3)
            #expect(next[Self.secondUnit]?.received.open == 1)
        },
        .init("a packet reaches a unit once, with the first of its apps to be delivered, even on the same millisecond") { fixture in
            let parties = try await Parties.register(in: fixture)
            let shared = try await packet(fixture, from: parties.source, to: [parties.first, parties.firstOther], size: 64, created: 0, uploaded: 1)
            try await move(fixture, shared, parties.first, to: .delivered, at: 100)
            try await move(fixture, shared, parties.firstOther, to: .delivered, at: 200)
            let early = try await fixture.reports.traffic(in: try ReportPeriod(from: at(0), to: at(150)), unit: Self.firstUnit)
            #expect(early[Self.firstUnit]?.received == DirectionTraffic(packets: 1, bytes: 64, finalStates: [.delivered: 1], open: 1, deliveryMillis: [100_000]))
            let late = try await fixture.reports.traffic(in: try ReportPeriod(from: at(150), to: at(300)), unit: Self.firstUnit)
            #expect(late[Self.firstUnit]?.received == DirectionTraffic(packets: 0, bytes: 0, finalStates: [.delivered: 1], deliveryMillis: [200_000]))

            let tie = try await packet(fixture, from: parties.source, to: [parties.first, parties.firstOther], size: 8, created: 0, uploaded: 1)
            try await move(fixture, tie, parties.first, to: .delivered, at: 500)
            try await move(fixture, tie, parties.firstOther, to: .delivered, at: 500)
            let both = try await fixture.reports.traffic(in: try ReportPeriod(from: at(400), to: at(600)), unit: nil)
            #expect(both[Self.firstUnit]?.received.packets == 1)
            #expect(both[Self.firstUnit]?.received.finalStates == [.delivered: 2])
            #expect(both[Self.sourceUnit]?.sent.finalStates == [.delivered: 2])
            #expect(both[Self.sourceUnit]?.sent.deliveryMillis == [500_000, 500_000])
        },
        .init("units without figures in the period are absent; an empty store returns nothing") { fixture in
            #expect(try await fixture.reports.traffic(in: try ReportPeriod(from: at(0), to: at(10)), unit: nil).isEmpty)
            let parties = try await Parties.register(in: fixture)
            let sent = try await packet(fixture, from: parties.source, to: [parties.first], size: 10, created: 50, uploaded: 50)
            try await move(fixture, sent, parties.first, to: .delivered, at: 60)
            #expect(try await fixture.reports.traffic(in: try ReportPeriod(from: at(0), to: at(10)), unit: nil).isEmpty)
            #expect(try await fixture.reports.traffic(in: try ReportPeriod(from: at(0), to: at(100)), unit: Self.secondUnit).isEmpty)
            #expect(try await fixture.reports.traffic(in: try ReportPeriod(from: at(0), to: at(100)), unit: nil).keys.sorted() == [Self.sourceUnit, Self.firstUnit])
        },
    ]
}
