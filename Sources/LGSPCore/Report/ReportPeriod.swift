import Foundation

/// The span a report covers: the half-open interval `[from, to)` of the hub's clock, at millisecond
/// precision (the precision the hub stores times with).
///
/// An event at exactly `from` belongs to the period; one at exactly `to` belongs to the next, so
/// reports of consecutive periods add up.
public struct ReportPeriod: Sendable, Hashable {
    public let from: Date
    public let to: Date

    /// Throws `request.invalid_query` (field `to`) unless `from` is earlier than `to`.
    public init(from: Date, to: Date) throws(LGSPError) {
        let from = Self.millisecondPrecision(from)
        let to = Self.millisecondPrecision(to)
        guard from < to else {
            throw LGSPError(.invalidQuery, "the period is empty: from \(from.iso8601) must be earlier than to \(to.iso8601)", field: "to")
        }
        self.from = from
        self.to = to
    }

    /// The period a request names, with the defaults: `to` is the hub's `now`, `from` one day before `to`.
    public static func resolve(from: Date?, to: Date?, now: Date) throws(LGSPError) -> ReportPeriod {
        let end = to ?? now
        return try ReportPeriod(from: from ?? end.addingTimeInterval(-86400), to: end)
    }

    /// Whether `date` falls in `[from, to)`.
    public func contains(_ date: Date) -> Bool { from <= date && date < to }

    /// The end of the part of the period that has happened by `now` (the hub's clock): `min(to, now)`,
    /// never earlier than `from`.
    public func observedUntil(now: Date) -> Date { max(from, min(to, Self.millisecondPrecision(now))) }

    static func millisecondPrecision(_ date: Date) -> Date {
        Date(timeIntervalSince1970: (date.timeIntervalSince1970 * 1000).rounded() / 1000)
    }
}

extension Date {
    /// Unix milliseconds, rounded (reports compute in whole milliseconds).
    var reportMillis: Int64 { Int64((timeIntervalSince1970 * 1000).rounded()) }
}
