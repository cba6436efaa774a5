import Foundation
import Testing

@testable import LGSPCore

/// Putting a report together from store counts and connection history, and who may read which
/// report.
@Suite("Unit reports")
struct UnitReportAssemblyTests {
    static let t0 = Date(timeIntervalSince1970: 1_800_000_000)
    static let source = UnitCode(level1: "H24", level2: 2)
    static let ward = UnitCode(level1: "H24", level2: 31)
    static let province = UnitCode(level1: "H24")
    static let units = [
        Unit(code: ward, name: "Ủy ban nhân dân Phường Hải Dương", createdAt: t0),
        Unit(code: province, name: "Ủy ban nhân dân thành phố Hải Phòng", createdAt: t0),
        Unit(code: source, name: "Sở Tài chính", createdAt: t0),
    ]

    static func period() throws -> ReportPeriod { try ReportPeriod(from: t0, to: t0.addingTimeInterval(3600)) }

    @Test("every directory unit gets a row, ordered by code, with its Vietnamese name; figures come from the store's counts")
    func assemble() throws {
        let traffic: [UnitCode: UnitTraffic] = [
            Self.source: UnitTraffic(
                sent: DirectionTraffic(
                    packets: 3, bytes: 397, finalStates: [.delivered: 2, .rejected: 1, .expired: 1], open: 1, deliveryMillis: [1200, 4800])),
            Self.ward: UnitTraffic(received: DirectionTraffic(packets: 2, bytes: 350, finalStates: [.delivered: 2], open: 1, deliveryMillis: [1200, 4800])),
        ]
        let report = UnitReportSet.assemble(
            period: try Self.period(), now: Self.t0.addingTimeInterval(600), units: Self.units, traffic: traffic, connections: [])
        #expect(report.units.map(\.unit) == [Self.province, Self.source, Self.ward])
        #expect(report.units.map(\.name) == ["Ủy ban nhân dân thành phố Hải Phòng", "Sở Tài chính", "Ủy ban nhân dân Phường Hải Dương"])
        #expect(report.observedUntil == Self.t0.addingTimeInterval(600))
        #expect(report.generatedAt == Self.t0.addingTimeInterval(600))

        let source = report.units[1]
        #expect(source.sent.packets == 3)
        #expect(source.sent.bytes == 397)
        #expect(source.sent.outcomes == DeliveryOutcomes(delivered: 2, rejected: 1, expired: 1, open: 1))
        #expect(source.sent.medianDeliveryMillis == 1200)
        #expect(source.sent.p95DeliveryMillis == 4800)
        #expect(source.received == TrafficFigures())
        #expect(report.units[2].received.outcomes == DeliveryOutcomes(delivered: 2, open: 1))

        let idle = report.units[0]
        #expect(idle.sent == TrafficFigures() && idle.received == TrafficFigures())
        #expect(idle.sent.medianDeliveryMillis == nil)
        #expect(idle.connections == ConnectionFigures(observedMillis: 600_000))
    }

    @Test("a code with traffic but not in the directory is reported without a name; `only` keeps one unit")
    func unknownAndOnly() throws {
        let former = UnitCode(level1: "H23", level2: 5)
        let traffic = [former: UnitTraffic(sent: DirectionTraffic(packets: 1, bytes: 9))]
        let connection = Connection(
            id: "c1", appID: "a", unit: Self.ward, channel: .webSocket, node: "n", address: "10.0.0.1", connectedAt: Self.t0,
            disconnectedAt: Self.t0.addingTimeInterval(900))
        let all = UnitReportSet.assemble(
            period: try Self.period(), now: Self.t0.addingTimeInterval(3600), units: Self.units, traffic: traffic, connections: [connection])
        #expect(all.units.count == 4)
        let unnamed = try #require(all.units.first { $0.unit == former })
        #expect(unnamed.name == nil)
        #expect(unnamed.sent.packets == 1)

        let one = UnitReportSet.assemble(
            period: try Self.period(), now: Self.t0.addingTimeInterval(7200), units: [Self.units[0]], traffic: traffic, connections: [connection],
            only: Self.ward)
        #expect(one.units.map(\.unit) == [Self.ward])
        #expect(one.units[0].connections == ConnectionFigures(connects: 1, disconnects: 1, connectedMillis: 900_000, observedMillis: 3_600_000))
        #expect(one.units[0].connections.onlineRatio == 0.25)
        #expect(one.observedUntil == Self.t0.addingTimeInterval(3600))
    }

    @Test("a period defaults to the day before the hub's now; an empty or reversed one is refused")
    func periods() throws {
        let now = Self.t0.addingTimeInterval(0.123)
        let resolved = try ReportPeriod.resolve(from: nil, to: nil, now: now)
        #expect(resolved.to.reportMillis == now.reportMillis)
        #expect(resolved.from.reportMillis == now.reportMillis - 86_400_000)
        #expect(try ReportPeriod.resolve(from: Self.t0, to: nil, now: now).from == Self.t0)
        for (from, to) in [(Self.t0, Self.t0), (Self.t0.addingTimeInterval(1), Self.t0)] {
            let error = #expect(throws: LGSPError.self) { _ = try ReportPeriod(from: from, to: to) }
            #expect(error?.code == .invalidQuery)
            #expect(error?.field == "to")
        }
    }

    @Test("administrators read any unit or all; an app reads only its own unit and must name it")
    func access() throws {
        let admin = Caller(app: App(id: "admin", unit: nil, name: "Quản trị", accessKey: "AK-ADMIN", role: .admin, receives: .all, createdAt: Self.t0))
        let app = Caller(app: App(id: "ward-app", unit: Self.ward, name: "Một cửa", accessKey: "AK-WARD", role: .app, receives: .all, createdAt: Self.t0))
        try ReportService.authorize(admin, unit: nil)
        try ReportService.authorize(admin, unit: Self.source)
        try ReportService.authorize(app, unit: Self.ward)
        for unit in [nil, Self.source, Self.province] as [UnitCode?] {
            let error = #expect(throws: LGSPError.self) { try ReportService.authorize(app, unit: unit) }
            #expect(error?.code == .forbidden)
        }
    }
}
