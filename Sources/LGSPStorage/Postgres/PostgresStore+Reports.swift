import Foundation
import LGSPCore
import PostgresNIO

/// Report aggregates (`ReportStore`) with the very statements SQLite runs (`ReportSQL`), put into
/// PostgreSQL's dialect by `ReportSQL.postgresText`, read in one REPEATABLE READ transaction (one
/// consistent snapshot, as the contract asks). Indexes: `packets_uploaded`, `deliveries_finished`,
/// `deliveries_open_since` in `PostgresMigrations`.
extension PostgresStore: ReportStore {
    public func traffic(in period: ReportPeriod, unit: UnitCode?) async throws -> [UnitCode: UnitTraffic] {
        let from = period.from.millis
        let to = period.to.millis
        return try await transaction { tx in
            try await tx.run("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            var result: [UnitCode: UnitTraffic] = [:]
            func each(_ sql: ReportSQL, _ instants: [Int64], _ body: (inout UnitTraffic, PGRow) throws -> Void) async throws {
                var binds = PostgresBindings()
                for instant in instants { binds.append(instant) }
                if let unit { for _ in 0..<sql.unitPlaceholders { binds.append(unit.rawValue) } }
                for row in try await tx.rows(PostgresQuery(unsafeSQL: sql.postgresText(filtered: unit != nil), binds: binds)) {
                    let code = try stored(UnitCode(lenient: try row.string("unit")), "unit code")
                    try body(&result[code, default: UnitTraffic()], row)
                }
            }
            try await each(.sentPackets, [from, to]) { traffic, row in
                traffic.sent.packets = try row.int("packets")
                traffic.sent.bytes = try row.int64("bytes")
            }
            try await each(.receivedPackets, [from, to]) { traffic, row in
                traffic.received.packets = try row.int("packets")
                traffic.received.bytes = try row.int64("bytes")
            }
            try await each(.sentFinalStates, [from, to]) { traffic, row in
                traffic.sent.finalStates[try stored(DeliveryState(rawValue: try row.string("state")), "delivery state")] = try row.int("n")
            }
            try await each(.receivedFinalStates, [from, to]) { traffic, row in
                traffic.received.finalStates[try stored(DeliveryState(rawValue: try row.string("state")), "delivery state")] = try row.int("n")
            }
            try await each(.sentOpen, [to, to, to]) { traffic, row in traffic.sent.open = try row.int("n") }
            try await each(.receivedOpen, [to, to, to]) { traffic, row in traffic.received.open = try row.int("n") }
            try await each(.sentDeliveryTimes, [from, to]) { traffic, row in traffic.sent.deliveryMillis.append(try row.int64("ms")) }
            try await each(.receivedDeliveryTimes, [from, to]) { traffic, row in traffic.received.deliveryMillis.append(try row.int64("ms")) }
            return result
        }
    }
}

extension ReportSQL {
    /// The statement in PostgreSQL's dialect: `$n` placeholders, boolean `final`, `bigint` sums and an
    /// alias on the derived tables. Mechanical, so both backends count with one definition.
    func postgresText(filtered: Bool) -> String {
        var text = self.text(filtered: filtered)
            .replacingOccurrences(of: "d.final = 0", with: "NOT d.final")
            .replacingOccurrences(of: "final = 0", with: "NOT final")
            .replacingOccurrences(of: "final = 1", with: "final")
            .replacingOccurrences(of: ") WHERE 1", with: ") AS o WHERE true")
            .replacingOccurrences(of: "COALESCE(SUM(content_size), 0)", with: "COALESCE(SUM(content_size), 0)::bigint")
            .replacingOccurrences(of: "COALESCE(SUM(p.content_size), 0)", with: "COALESCE(SUM(p.content_size), 0)::bigint")
        var number = 0
        while let mark = text.firstIndex(of: "?") {
            number += 1
            text.replaceSubrange(mark...mark, with: "$\(number)")
        }
        return text
    }
}
