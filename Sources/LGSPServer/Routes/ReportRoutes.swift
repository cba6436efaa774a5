import Foundation
import HTTPTypes
import Hummingbird
import LGSPAPI
import LGSPCore
import NIOCore

/// Article 5.11–5.12: statistics per unit (`GET /v1/reports/units`, JSON or CSV) and a unit's
/// connection history. Administrators read every unit; an app reads its own unit's.
struct ReportRoutes {
    let hub: Hub

    func register(on router: HubRouter) {
        let reports = ReportService(reports: hub.store, presence: hub.store, directory: hub.store, clock: hub.clock)
        router.get("/v1/reports/units") { request, _ in try await units(request, reports) }
        router.get("/v1/reports/units/{code}/connections") { request, context in
            let caller = try await hub.authenticated(request)
            let text = context.parameters.get("code") ?? ""
            guard let unit = UnitCode(lenient: text) else {
                throw LGSPError(.invalidUnitCode, "'\(text)' is not a unit code such as 000.00.31.H24", field: "code")
            }
            let (from, to) = try Self.period(request)
            let history = try await reports.connections(of: unit, from: from, to: to, by: caller)
            return try JSONBody.response(ConnectionHistoryResponse(history))
        }
    }

    private func units(_ request: Request, _ reports: ReportService) async throws -> Response {
        let caller = try await hub.authenticated(request)
        let query = request.uri.queryParameters
        let (from, to) = try Self.period(request)
        var unit: UnitCode?
        if let text = query["unit"] {
            guard let code = UnitCode(lenient: String(text)) else {
                throw LGSPError(.invalidQuery, "unit '\(text)' is not a unit code such as 000.00.31.H24", field: "unit")
            }
            unit = code
        }
        let csv = try Self.wantsCSV(request)
        let report = UnitReportResponse(try await reports.units(from: from, to: to, unit: unit, by: caller))
        guard csv else { return try JSONBody.response(report) }
        let name = "lgsp-units-\(Self.fileStamp(report.from))-\(Self.fileStamp(report.to)).csv"
        return Response(
            status: .ok,
            headers: [.contentType: "text/csv; charset=utf-8; header=present", .contentDisposition: "attachment; filename=\"\(name)\""],
            body: ResponseBody(byteBuffer: ByteBuffer(string: UnitReportCSV.encode(report))))
    }

    /// `from` and `to` (ISO 8601) when given; the report service applies the defaults with the hub's clock.
    static func period(_ request: Request) throws -> (Date?, Date?) {
        let query = request.uri.queryParameters
        return (
            try query["from"].map { try PacketRoutes.dateQuery($0, name: "from") },
            try query["to"].map { try PacketRoutes.dateQuery($0, name: "to") }
        )
    }

    /// `format=csv|json`; without it, an `Accept` that names `text/csv` (and not JSON) asks for CSV.
    static func wantsCSV(_ request: Request) throws -> Bool {
        switch request.uri.queryParameters["format"].map(String.init) {
        case "csv": return true
        case "json": return false
        case let other?: throw LGSPError(.invalidQuery, "format must be json or csv, not '\(other)'", field: "format")
        case nil:
            let accept = request.headers[.accept] ?? ""
            return accept.contains("text/csv") && !accept.contains("json")
        }
    }

    /// `20261101T000000Z`: a date for file names.
    static func fileStamp(_ date: Date) -> String {
        APICoding.formatDate(date).replacingOccurrences(of: "-", with: "").replacingOccurrences(of: ":", with: "")
            .replacingOccurrences(of: ".000", with: "")
    }
}
