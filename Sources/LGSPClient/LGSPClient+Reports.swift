import Foundation
import LGSPAPI
import LGSPCore

/// Statistics and connection history (Articles 5.11–5.12). Periods are `[from, to)` on the hub's
/// clock; omitted, `to` is the hub's now and `from` one day earlier. Administrators read any unit,
/// an app its own unit's (naming it).
extension LGSPClient {
    /// Per-unit statistics as JSON.
    public func unitReport(from: Date? = nil, to: Date? = nil, unit: String? = nil) async throws -> UnitReportResponse {
        try await json(.GET, "/v1/reports/units", query: Self.reportQuery(from: from, to: to, unit: unit))
    }

    /// Per-unit statistics as CSV (header row, UTF-8), exactly as the hub wrote it.
    public func unitReportCSV(from: Date? = nil, to: Date? = nil, unit: String? = nil) async throws -> String {
        let query = Self.reportQuery(from: from, to: to, unit: unit) + [("format", "csv")]
        let (status, bytes) = try await send(.GET, "/v1/reports/units", query: query, body: Data(), signed: true, retry: true)
        guard (200..<300).contains(status) else { throw Self.failure(status: status, body: bytes) }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// A unit's connections overlapping the period, oldest first.
    public func connectionHistory(unit: String, from: Date? = nil, to: Date? = nil) async throws -> ConnectionHistoryResponse {
        try await json(.GET, "/v1/reports/units/\(unit)/connections", query: Self.reportQuery(from: from, to: to, unit: nil))
    }

    static func reportQuery(from: Date?, to: Date?, unit: String?) -> [(String, String)] {
        var query: [(String, String)] = []
        if let from { query.append(("from", APICoding.formatDate(from))) }
        if let to { query.append(("to", APICoding.formatDate(to))) }
        if let unit { query.append(("unit", unit)) }
        return query
    }
}
