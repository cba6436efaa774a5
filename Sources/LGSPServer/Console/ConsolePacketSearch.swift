import Foundation
import LGSPCore

/// The packet history the console lists: newest first, paged by packet id, filtered by unit (the
/// unit is the source or a recipient), state, period and data type. It reads pages from the
/// `PacketStore` (`packets(_:)`, one query per role: every packet, or each of the unit's apps as
/// sender and as receiver), merges them, and filters states in memory, reading at most `maxScanned`
/// packets per page asked for.
struct ConsolePacketSearch: Sendable {
    let store: any HubStore

    struct Filter: Sendable, Hashable {
        var unit: UnitCode?
        /// A packet state (`in_transit`…) or a delivery state (`rejected`…): a packet matches when it,
        /// or one of its deliveries (to `unit`, when given), is in it.
        var state: String?
        var since: Date?
        var until: Date?
        var dataType: DataType?
        var before: PacketID?
    }

    struct Page: Sendable {
        var items: [PacketSummary]
        /// Where the next page starts (its `before`), nil on the last page.
        var next: PacketID?
        /// Whether the scan stopped at `maxScanned` before filling the page.
        var truncated: Bool
    }

    static let maxScanned = 5000

    /// The states a filter may name.
    static let states: [String] = PacketState.allCases.map(\.rawValue) + DeliveryState.allCases.map(\.rawValue)

    func page(_ filter: Filter, limit: Int) async throws -> Page {
        var roles: [PacketQuery.Role] = [.all]
        if let unit = filter.unit {
            roles = try await store.apps(unit: unit).filter { $0.role == .app }.flatMap { [PacketQuery.Role.sent(appID: $0.id), .received(appID: $0.id)] }
            if roles.isEmpty { return Page(items: [], next: nil, truncated: false) }
        }
        let batch = 200
        var cursor = filter.before
        var found: [PacketSummary] = []
        var scanned = 0
        while scanned < Self.maxScanned {
            var merged: [PacketID: PacketSummary] = [:]
            var exhausted = true
            for role in roles {
                let rows = try await store.packets(
                    PacketQuery(role: role, dataType: filter.dataType, since: filter.since, until: filter.until, before: cursor, limit: batch))
                if rows.count == batch { exhausted = false }
                for row in rows { merged[row.packet.id] = row }
            }
            // Each role's list is complete down to its `batch`-th packet, so the newest `batch` of the union are too.
            let window = merged.values.sorted { $0.packet.id > $1.packet.id }.prefix(batch)
            for summary in window {
                scanned += 1
                guard matches(summary, filter) else { continue }
                found.append(summary)
                if found.count == limit { return Page(items: found, next: summary.packet.id, truncated: false) }
            }
            guard let last = window.last, !(exhausted && window.count == merged.count) else { break }
            cursor = last.packet.id
        }
        return Page(items: found, next: nil, truncated: scanned >= Self.maxScanned)
    }

    private func matches(_ summary: PacketSummary, _ filter: Filter) -> Bool {
        if let unit = filter.unit, summary.packet.sourceUnit != unit, !summary.deliveries.contains(where: { $0.recipient == unit }) {
            return false
        }
        guard let state = filter.state else { return true }
        if summary.packet.state.rawValue == state { return true }
        let deliveries = filter.unit.map { unit in
            summary.packet.sourceUnit == unit ? summary.deliveries : summary.deliveries.filter { $0.recipient == unit }
        } ?? summary.deliveries
        return deliveries.contains { $0.state.rawValue == state }
    }
}
