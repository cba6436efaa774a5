import Foundation

/// The statistics and report use cases (Articles 5.11–5.12): per-unit traffic, delivery outcomes and
/// times, and connection figures over a period, and a unit's connection history.
///
/// Every instant comes from the hub's clock (`HubClock`), never from the caller's: the default end of
/// a period, the end of connections still open and what "still open" means. Administrators may read
/// every unit; an app may read its own unit only, and must name it.
public struct ReportService: Sendable {
    let reports: any ReportStore
    let presence: any PresenceStore
    let directory: any DirectoryStore
    let clock: any HubClock

    public init(reports: any ReportStore, presence: any PresenceStore, directory: any DirectoryStore, clock: any HubClock) {
        self.reports = reports
        self.presence = presence
        self.directory = directory
        self.clock = clock
    }

    /// Reports of every unit (administrators) or of `unit`, over `[from, to)`.
    ///
    /// Defaults: `to` is the hub's now, `from` one day before `to`. Throws `request.invalid_query`
    /// for an empty period, `auth.forbidden` when an app asks for another unit (or for all),
    /// `directory.unknown_unit` for a unit that is not in the directory.
    public func units(from: Date?, to: Date?, unit: UnitCode?, by caller: Caller) async throws -> UnitReportSet {
        let now = clock.now()
        let period = try ReportPeriod.resolve(from: from, to: to, now: now)
        try Self.authorize(caller, unit: unit)
        let units: [Unit]
        if let unit {
            guard let found = try await directory.unit(unit) else {
                throw LGSPError(.unknownUnit, "unit \(unit) is not in the directory", field: "unit")
            }
            units = [found]
        } else {
            units = try await directory.units()
        }
        async let traffic = reports.traffic(in: period, unit: unit)
        async let connections = presence.connections(unit: unit, appID: nil, since: Self.justBefore(period.from), until: period.to)
        return UnitReportSet.assemble(period: period, now: now, units: units, traffic: try await traffic, connections: try await connections, only: unit)
    }

    /// A unit's connections that overlap `[from, to)`, oldest first, with the name of each app.
    ///
    /// Defaults and errors as for `units`, with `unit` required.
    public func connections(of unit: UnitCode, from: Date?, to: Date?, by caller: Caller) async throws -> ConnectionHistory {
        let now = clock.now()
        let period = try ReportPeriod.resolve(from: from, to: to, now: now)
        try Self.authorize(caller, unit: unit)
        guard try await directory.unit(unit) != nil else {
            throw LGSPError(.unknownUnit, "unit \(unit) is not in the directory", field: "unit")
        }
        let connections = try await presence.connections(unit: unit, appID: nil, since: Self.justBefore(period.from), until: period.to)
            .filter { $0.connectedAt < period.to && ($0.disconnectedAt.map { $0 >= period.from } ?? true) }
        let apps = Dictionary(try await directory.apps(unit: unit).map { ($0.id, $0.name) }, uniquingKeysWith: { first, _ in first })
        return ConnectionHistory(
            unit: unit, period: period, generatedAt: now, entries: connections.map { ConnectionHistory.Entry(connection: $0, appName: apps[$0.appID]) })
    }

    /// Administrators read any unit; an app reads its own unit only.
    static func authorize(_ caller: Caller, unit: UnitCode?) throws(LGSPError) {
        if caller.isAdmin { return }
        let own = try caller.requireUnit(for: "read reports")
        guard let unit else {
            throw LGSPError(.forbidden, "reports of every unit need an administrator credential; an app may read its own unit's: unit=\(own)", field: "unit")
        }
        guard unit == own else {
            throw LGSPError(.forbidden, "app \(caller.app.accessKey) belongs to unit \(own) and may not read the reports of unit \(unit)", field: "unit")
        }
    }

    /// `PresenceStore.connections` wants connections closed strictly after `since`; one closed at
    /// exactly `from` is a disconnect of this period, so ask from one millisecond earlier and filter.
    static func justBefore(_ date: Date) -> Date { date.addingTimeInterval(-0.001) }
}

/// A unit's connection history over a period (Article 5.11).
public struct ConnectionHistory: Sendable, Hashable {
    public struct Entry: Sendable, Hashable {
        public var connection: Connection
        /// The app's name in the directory, if it is still there.
        public var appName: String?
    }

    public var unit: UnitCode
    public var period: ReportPeriod
    /// The hub's clock when the history was read (connections without an end are still open then).
    public var generatedAt: Date
    /// Connections that overlap the period, oldest first.
    public var entries: [Entry]
}
