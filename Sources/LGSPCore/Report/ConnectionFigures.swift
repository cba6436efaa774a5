import Foundation

/// How one unit was connected to the hub during a report period (Article 5.12), from its connection
/// history (`PresenceStore`).
///
/// Definitions, over the period `[from, to)` and its observed part `[from, observedUntil)` where
/// `observedUntil = min(to, now)` on the hub's clock:
/// - `connects`: connections opened at an instant in `[from, to)`.
/// - `disconnects`: connections closed at an instant in `[from, to)` (a connection still open is not
///   counted).
/// - `connectedMillis`: how long, within the observed part, the unit was online. An app is online
///   while any of its connections is open (a connection still open counts until `now`); a unit is
///   online while any of its apps is. So this is the length of the union of the unit's connection
///   intervals clipped to the observed part: parallel connections are not counted twice, and it
///   never exceeds `observedMillis`.
/// - `observedMillis`: the length of the observed part (less than the period while it has not ended).
/// - `onlineRatio`: `connectedMillis / observedMillis`, from 0 to 1; nil when nothing of the period
///   has happened yet.
public struct ConnectionFigures: Sendable, Hashable {
    public var connects: Int
    public var disconnects: Int
    public var connectedMillis: Int64
    public var observedMillis: Int64

    public init(connects: Int = 0, disconnects: Int = 0, connectedMillis: Int64 = 0, observedMillis: Int64 = 0) {
        self.connects = connects
        self.disconnects = disconnects
        self.connectedMillis = connectedMillis
        self.observedMillis = observedMillis
    }

    /// `connectedMillis / observedMillis`, or nil when `observedMillis` is 0.
    public var onlineRatio: Double? {
        observedMillis > 0 ? Double(connectedMillis) / Double(observedMillis) : nil
    }

    /// The figures of `connections` (one unit's; others may be included, they count as the same unit)
    /// over `period`, with `now` the hub's current time.
    public init(_ connections: [Connection], period: ReportPeriod, now: Date) {
        let start = period.from.reportMillis
        let end = period.observedUntil(now: now).reportMillis
        let nowMillis = now.reportMillis
        self.init(
            connects: connections.count { period.contains($0.connectedAt) },
            disconnects: connections.count { $0.disconnectedAt.map(period.contains) ?? false },
            connectedMillis: Self.unionLength(
                connections.map { ($0.connectedAt.reportMillis, $0.disconnectedAt?.reportMillis ?? nowMillis) }, within: start, end),
            observedMillis: end - start)
    }

    /// The total length of the union of half-open intervals `[start, end)`, each clipped to `[lower, upper)`.
    static func unionLength(_ intervals: [(start: Int64, end: Int64)], within lower: Int64, _ upper: Int64) -> Int64 {
        let clipped = intervals.map { (max($0.start, lower), min($0.end, upper)) }.filter { $0.0 < $0.1 }.sorted { $0.0 < $1.0 }
        var total: Int64 = 0
        var current: (start: Int64, end: Int64)?
        for interval in clipped {
            if let open = current, interval.0 <= open.end {
                current = (open.start, max(open.end, interval.1))
            } else {
                if let open = current { total += open.end - open.start }
                current = interval
            }
        }
        if let open = current { total += open.end - open.start }
        return total
    }
}
