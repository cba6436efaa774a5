import Foundation
import GRDB
import LGSPCore

/// Report aggregates in SQL: counts and sums are grouped by unit in the database; only delivery
/// times leave it one row per delivery (the median and 95th percentile need every value), as a
/// single integer column already sorted.
///
/// A final delivery's `updated_at` is the instant it became final: `apply` refuses any later change.
/// Indexes: `v6-report-indexes` in `SQLiteMigrations`.
extension SQLiteStore: ReportStore {
    public func traffic(in period: ReportPeriod, unit: UnitCode?) async throws -> [UnitCode: UnitTraffic] {
        let from = period.from.millis
        let to = period.to.millis
        return try await reading { db in
            var result: [UnitCode: UnitTraffic] = [:]
            func each(_ sql: ReportSQL, _ instants: [Int64], _ body: (inout UnitTraffic, Row) throws -> Void) throws {
                var values: [(any DatabaseValueConvertible)?] = instants
                if let unit { values += Array(repeating: unit.rawValue, count: sql.unitPlaceholders) }
                for row in try db.rows(sql.text(filtered: unit != nil), StatementArguments(values)) {
                    let code = try stored(UnitCode(lenient: row["unit"]), "unit code")
                    try body(&result[code, default: UnitTraffic()], row)
                }
            }
            try each(.sentPackets, [from, to]) { traffic, row in
                traffic.sent.packets = row["packets"]
                traffic.sent.bytes = row["bytes"]
            }
            try each(.receivedPackets, [from, to]) { traffic, row in
                traffic.received.packets = row["packets"]
                traffic.received.bytes = row["bytes"]
            }
            try each(.sentFinalStates, [from, to]) { traffic, row in
                traffic.sent.finalStates[try stored(DeliveryState(rawValue: row["state"]), "delivery state")] = row["n"]
            }
            try each(.receivedFinalStates, [from, to]) { traffic, row in
                traffic.received.finalStates[try stored(DeliveryState(rawValue: row["state"]), "delivery state")] = row["n"]
            }
            try each(.sentOpen, [to, to, to]) { traffic, row in traffic.sent.open = row["n"] }
            try each(.receivedOpen, [to, to, to]) { traffic, row in traffic.received.open = row["n"] }
            try each(.sentDeliveryTimes, [from, to]) { traffic, row in traffic.sent.deliveryMillis.append(row["ms"]) }
            try each(.receivedDeliveryTimes, [from, to]) { traffic, row in traffic.received.deliveryMillis.append(row["ms"]) }
            return result
        }
    }
}

/// The statements behind `traffic`. `{unit:X}` marks where the optional unit condition goes (`AND X = ?`).
enum ReportSQL: CaseIterable {
    case sentPackets, receivedPackets, sentFinalStates, receivedFinalStates, sentOpen, receivedOpen, sentDeliveryTimes, receivedDeliveryTimes

    /// The statement with or without the unit conditions.
    func text(filtered: Bool) -> String {
        var text = template
        while let start = text.range(of: "{unit:"), let end = text[start.upperBound...].firstIndex(of: "}") {
            let column = text[start.upperBound..<end]
            text.replaceSubrange(start.lowerBound...end, with: filtered ? "AND \(column) = ?" : "")
        }
        return text
    }

    /// How many `?` the unit conditions add (they come after every other argument).
    var unitPlaceholders: Int { template.components(separatedBy: "{unit:").count - 1 }

    var template: String {
        switch self {
        case .sentPackets:
            """
            SELECT source_unit AS unit, COUNT(*) AS packets, COALESCE(SUM(content_size), 0) AS bytes
            FROM packets WHERE uploaded_at >= ? AND uploaded_at < ? {unit:source_unit}
            GROUP BY source_unit
            """
        case .receivedPackets:
            // A packet counts once per recipient unit: with the first of the unit's deliveries of it to be delivered.
            """
            SELECT d.recipient AS unit, COUNT(*) AS packets, COALESCE(SUM(p.content_size), 0) AS bytes
            FROM deliveries d JOIN packets p ON p.id = d.packet_id
            WHERE d.final = 1 AND d.updated_at >= ? AND d.updated_at < ? AND d.state = 'delivered' {unit:d.recipient}
                AND NOT EXISTS (
                    SELECT 1 FROM deliveries e
                    WHERE e.packet_id = d.packet_id AND e.recipient = d.recipient AND e.state = 'delivered'
                        AND (e.updated_at < d.updated_at OR (e.updated_at = d.updated_at AND e.app_id < d.app_id)))
            GROUP BY d.recipient
            """
        case .sentFinalStates:
            """
            SELECT p.source_unit AS unit, d.state AS state, COUNT(*) AS n
            FROM deliveries d JOIN packets p ON p.id = d.packet_id
            WHERE d.final = 1 AND d.updated_at >= ? AND d.updated_at < ? {unit:p.source_unit}
            GROUP BY p.source_unit, d.state
            """
        case .receivedFinalStates:
            """
            SELECT recipient AS unit, state, COUNT(*) AS n
            FROM deliveries WHERE final = 1 AND updated_at >= ? AND updated_at < ? {unit:recipient}
            GROUP BY recipient, state
            """
        case .sentOpen:
            // Open at `to`: not final yet, or final only from `to` on. Two branches, one index each.
            """
            SELECT unit, COUNT(*) AS n FROM (
                SELECT p.source_unit AS unit FROM deliveries d JOIN packets p ON p.id = d.packet_id
                WHERE d.final = 0 AND d.created_at < ?
                UNION ALL
                SELECT p.source_unit AS unit FROM deliveries d JOIN packets p ON p.id = d.packet_id
                WHERE d.final = 1 AND d.updated_at >= ? AND d.created_at < ?
            ) WHERE 1 {unit:unit}
            GROUP BY unit
            """
        case .receivedOpen:
            """
            SELECT unit, COUNT(*) AS n FROM (
                SELECT recipient AS unit FROM deliveries WHERE final = 0 AND created_at < ?
                UNION ALL
                SELECT recipient AS unit FROM deliveries WHERE final = 1 AND updated_at >= ? AND created_at < ?
            ) WHERE 1 {unit:unit}
            GROUP BY unit
            """
        case .sentDeliveryTimes:
            """
            SELECT p.source_unit AS unit, d.updated_at - d.created_at AS ms
            FROM deliveries d JOIN packets p ON p.id = d.packet_id
            WHERE d.final = 1 AND d.updated_at >= ? AND d.updated_at < ? AND d.state = 'delivered' {unit:p.source_unit}
            ORDER BY unit, ms
            """
        case .receivedDeliveryTimes:
            """
            SELECT recipient AS unit, updated_at - created_at AS ms
            FROM deliveries WHERE final = 1 AND updated_at >= ? AND updated_at < ? AND state = 'delivered' {unit:recipient}
            ORDER BY unit, ms
            """
        }
    }
}
