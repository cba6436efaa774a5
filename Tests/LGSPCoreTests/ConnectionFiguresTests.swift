import Foundation
import Testing

@testable import LGSPCore

/// Connection figures of a unit: counts in the period, online time as the union of its connections
/// clipped to the observed part of the period, and the online ratio.
@Suite("ConnectionFigures")
struct ConnectionFiguresTests {
    static let t0 = Date(timeIntervalSince1970: 1_800_000_000)
    static let unit = UnitCode(level1: "H24", level2: 31)

    /// A time `seconds` after t0.
    static func at(_ seconds: Double) -> Date { t0.addingTimeInterval(seconds) }

    static func connection(_ app: String, _ from: Double, _ to: Double?) -> Connection {
        Connection(
            id: UUID().uuidString, appID: app, unit: unit, channel: .serverSentEvents, node: "node-1", address: "127.0.0.1",
            connectedAt: at(from), disconnectedAt: to.map(at))
    }

    static func period(_ from: Double, _ to: Double) throws -> ReportPeriod { try ReportPeriod(from: at(from), to: at(to)) }

    @Test("a connection is clipped to the period on both sides; counts take only what happened inside")
    func clipping() throws {
        let figures = ConnectionFigures(
            [Self.connection("a", -50, 30), Self.connection("a", 80, 150)], period: try Self.period(0, 100), now: Self.at(1000))
        #expect(figures.connects == 1)  // the one at 80; the one at -50 opened before the period
        #expect(figures.disconnects == 1)  // the one at 30; the one at 150 closed after it
        #expect(figures.connectedMillis == 30_000 + 20_000)
        #expect(figures.observedMillis == 100_000)
        #expect(figures.onlineRatio == 0.5)
    }

    @Test("parallel connections of one app, and of two apps of the unit, are not counted twice")
    func union() throws {
        let figures = ConnectionFigures(
            [
                Self.connection("a", 10, 40), Self.connection("a", 20, 30),  // nested, same app
                Self.connection("b", 35, 60),  // another app, overlapping
                Self.connection("b", 60, 70),  // touching: still one stretch
                Self.connection("a", 90, 95),
            ], period: try Self.period(0, 100), now: Self.at(1000))
        #expect(figures.connects == 5)
        #expect(figures.disconnects == 5)
        #expect(figures.connectedMillis == 60_000 + 5_000)
        #expect(figures.onlineRatio == 0.65)
    }

    @Test("a connection still open counts until the hub's now, and the ratio is over the part of the period that has happened")
    func openConnectionAndRunningPeriod() throws {
        let figures = ConnectionFigures([Self.connection("a", 20, nil)], period: try Self.period(0, 100), now: Self.at(60))
        #expect(figures.connects == 1)
        #expect(figures.disconnects == 0)
        #expect(figures.observedMillis == 60_000)
        #expect(figures.connectedMillis == 40_000)
        #expect(figures.onlineRatio == 40.0 / 60.0)
    }

    @Test("a connection still open over a past period covers all of it after its start")
    func openConnectionPastPeriod() throws {
        let figures = ConnectionFigures([Self.connection("a", -10, nil)], period: try Self.period(0, 100), now: Self.at(500))
        #expect(figures.connects == 0)
        #expect(figures.connectedMillis == 100_000)
        #expect(figures.onlineRatio == 1)
    }

    @Test("a period that has not started has nothing observed and no ratio")
    func futurePeriod() throws {
        let figures = ConnectionFigures([Self.connection("a", -10, nil)], period: try Self.period(100, 200), now: Self.at(50))
        #expect(figures.observedMillis == 0)
        #expect(figures.connectedMillis == 0)
        #expect(figures.onlineRatio == nil)
    }

    @Test("boundaries: an event at from belongs to the period, one at to to the next")
    func boundaries() throws {
        let figures = ConnectionFigures(
            [Self.connection("a", -5, 0), Self.connection("a", 0, 10), Self.connection("a", 100, 120), Self.connection("b", 90, 100)],
            period: try Self.period(0, 100), now: Self.at(1000))
        #expect(figures.connects == 2)  // at 0 and at 90; the one at 100 is the next period's
        #expect(figures.disconnects == 2)  // at 0 and at 10; the one at 100 is the next period's
        #expect(figures.connectedMillis == 20_000)
    }

    @Test("no connections: zero online time, ratio 0")
    func none() throws {
        let figures = ConnectionFigures([], period: try Self.period(0, 100), now: Self.at(1000))
        #expect(figures == ConnectionFigures(observedMillis: 100_000))
        #expect(figures.onlineRatio == 0)
    }

    @Test("times are whole milliseconds: sub-millisecond parts of the period are rounded")
    func millisecondPrecision() throws {
        let period = try ReportPeriod(from: Self.at(0.0004), to: Self.at(1.0006))
        #expect(period.from == Self.t0)
        #expect(period.to.reportMillis == Self.t0.reportMillis + 1001)
        let figures = ConnectionFigures([Self.connection("a", 0.5, nil)], period: period, now: Self.at(0.7504))
        #expect(figures.observedMillis == 750)
        #expect(figures.connectedMillis == 250)
    }
}
