import Foundation

/// Statistics of one unit over a report period (Articles 5.11–5.12).
///
/// `sent` and `received` are defined in `ReportStore`, `connections` in `ConnectionFigures`.
public struct UnitReport: Sendable, Hashable {
    public var unit: UnitCode
    /// The unit's name in the directory; nil for a code that is not (or no longer) registered.
    public var name: String?
    /// The unit as the source of packets.
    public var sent: TrafficFigures
    /// The unit as the recipient of packets.
    public var received: TrafficFigures
    public var connections: ConnectionFigures

    public init(unit: UnitCode, name: String?, sent: TrafficFigures, received: TrafficFigures, connections: ConnectionFigures) {
        self.unit = unit
        self.name = name
        self.sent = sent
        self.received = received
        self.connections = connections
    }
}

/// One direction of a unit's traffic, summarised.
public struct TrafficFigures: Sendable, Hashable {
    public var packets: Int
    public var bytes: Int64
    public var outcomes: DeliveryOutcomes
    /// Delivery time (packet created → delivered) of the deliveries that reached `delivered` in the
    /// period: the median and 95th percentile by the nearest-rank method (`NearestRank`), in
    /// milliseconds; nil when none did.
    public var medianDeliveryMillis: Int64?
    public var p95DeliveryMillis: Int64?

    public init(
        packets: Int = 0, bytes: Int64 = 0, outcomes: DeliveryOutcomes = DeliveryOutcomes(), medianDeliveryMillis: Int64? = nil,
        p95DeliveryMillis: Int64? = nil
    ) {
        self.packets = packets
        self.bytes = bytes
        self.outcomes = outcomes
        self.medianDeliveryMillis = medianDeliveryMillis
        self.p95DeliveryMillis = p95DeliveryMillis
    }

    /// Summarises the store's counts.
    public init(_ traffic: DirectionTraffic) {
        self.init(
            packets: traffic.packets, bytes: traffic.bytes, outcomes: DeliveryOutcomes(traffic.finalStates, open: traffic.open),
            medianDeliveryMillis: NearestRank.percentile(50, ofSorted: traffic.deliveryMillis),
            p95DeliveryMillis: NearestRank.percentile(95, ofSorted: traffic.deliveryMillis))
    }
}

/// Deliveries by the final state they entered in the period, and those still open at its end.
public struct DeliveryOutcomes: Sendable, Hashable {
    public var delivered: Int
    public var rejected: Int
    public var expired: Int
    public var undeliverable: Int
    public var transformFailed: Int
    /// Not final at the end of the period (see `ReportStore`).
    public var open: Int

    public init(delivered: Int = 0, rejected: Int = 0, expired: Int = 0, undeliverable: Int = 0, transformFailed: Int = 0, open: Int = 0) {
        self.delivered = delivered
        self.rejected = rejected
        self.expired = expired
        self.undeliverable = undeliverable
        self.transformFailed = transformFailed
        self.open = open
    }

    /// From counts per final state (non-final states are ignored).
    public init(_ counts: [DeliveryState: Int], open: Int) {
        self.init(
            delivered: counts[.delivered] ?? 0, rejected: counts[.rejected] ?? 0, expired: counts[.expired] ?? 0,
            undeliverable: counts[.undeliverable] ?? 0, transformFailed: counts[.transformFailed] ?? 0, open: open)
    }
}

/// The reports of several units over one period, computed at one instant of the hub's clock.
public struct UnitReportSet: Sendable, Hashable {
    public var period: ReportPeriod
    /// The hub's clock when the report was computed: figures about "now" (open deliveries, open
    /// connections) are as of this instant.
    public var generatedAt: Date
    /// `min(to, generatedAt)`: the end of the part of the period that has happened.
    public var observedUntil: Date
    /// One report per unit, ordered by unit code.
    public var units: [UnitReport]

    public init(period: ReportPeriod, generatedAt: Date, observedUntil: Date, units: [UnitReport]) {
        self.period = period
        self.generatedAt = generatedAt
        self.observedUntil = observedUntil
        self.units = units
    }

    /// Puts a report together from what the stores returned. Pure: no I/O, no clock.
    ///
    /// - Parameters:
    ///   - units: the directory's units, for names; each gets a report even without traffic.
    ///   - traffic: the store's counts; a unit found only here is reported without a name.
    ///   - connections: connection history overlapping the period, of any units.
    ///   - only: when given, the report holds this unit only.
    public static func assemble(
        period: ReportPeriod, now: Date, units: [Unit], traffic: [UnitCode: UnitTraffic], connections: [Connection], only: UnitCode? = nil
    ) -> UnitReportSet {
        let names = Dictionary(units.map { ($0.code, $0.name) }, uniquingKeysWith: { first, _ in first })
        let byUnit = Dictionary(grouping: connections, by: \.unit)
        var codes = Set(names.keys).union(traffic.keys).union(byUnit.keys)
        if let only { codes = [only] }
        let reports = codes.sorted().map { code in
            let counts = traffic[code] ?? UnitTraffic()
            return UnitReport(
                unit: code, name: names[code], sent: TrafficFigures(counts.sent), received: TrafficFigures(counts.received),
                connections: ConnectionFigures(byUnit[code] ?? [], period: period, now: now))
        }
        return UnitReportSet(period: period, generatedAt: now, observedUntil: period.observedUntil(now: now), units: reports)
    }
}
