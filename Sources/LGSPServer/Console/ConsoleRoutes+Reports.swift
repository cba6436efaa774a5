import Foundation
import Hummingbird
import LGSPAPI
import LGSPCore
import NIOCore

/// Statistics and reports (Articles 5.11–5.12): packets sent and received per day, delivery times per
/// unit, the period's figures per unit, and the same figures as CSV (`UnitReportCSV`, as the API's).
extension ConsoleRoutes {
    func registerReports(on router: HubRouter) {
        get(router, "/console/reports") { console in try await reportPage(console) }
        get(router, "/console/reports.csv") { console in try await reportCSV(console) }
    }

    /// The longest period the per-day chart draws.
    static let maxReportDays = 31

    /// The unit (checked) and period of a report page: `from`/`to` days, the last 7 days by default.
    private func reportScope(_ console: ConsoleRequest) throws -> (unit: UnitCode?, from: Date, to: Date, errors: [String]) {
        var errors: [String] = []
        var asked: UnitCode?
        if let value = console.query("unit") {
            if let unit = UnitCode(lenient: value) { asked = unit } else { errors.append(renderer.catalogue.text("filter_unit_invalid", console.language, ["value": value])) }
        }
        let unit = try console.scopedUnit(asked)
        let period = periodFilter(console, errors: &errors)
        let end = period.to ?? ConsoleFormat.startOfDay(hub.clock.now()).addingTimeInterval(86400)
        let start = period.from ?? end.addingTimeInterval(-7 * 86400)
        if errors.isEmpty, end.timeIntervalSince(start) > Double(Self.maxReportDays) * 86400 {
            errors.append(renderer.catalogue.text("filter_period_too_long", console.language, ["days": String(Self.maxReportDays)]))
        }
        return (unit, start, end, errors)
    }

    private func reportPage(_ console: ConsoleRequest) async throws -> Response {
        let text = renderer.catalogue
        let language = console.language
        let scope = try reportScope(console)
        var data: [String: Any] = [
            "errors": scope.errors, "unitFixed": console.session.readsEverything ? "" : (console.session.unit?.rawValue ?? ""),
            "filter": ["unit": console.query("unit") ?? "", "from": ConsoleFormat.day(scope.from), "to": ConsoleFormat.day(scope.to.addingTimeInterval(-86400))],
        ]
        guard scope.errors.isEmpty else {
            return await page("reports", title: text.text("nav_reports", language), data: data, console, status: .badRequest)
        }
        let caller = try await caller()
        var groups: [ConsoleChart.Group] = []
        var day = scope.from
        while day < scope.to {
            let next = day.addingTimeInterval(86400)
            let set = try await reports.units(from: day, to: next, unit: scope.unit, by: caller)
            groups.append(
                ConsoleChart.Group(
                    label: ConsoleFormat.shortDay(day), values: [Double(set.units.map(\.sent.packets).reduce(0, +)), Double(set.units.map(\.received.packets).reduce(0, +))]))
            day = next
        }
        let period = try await reports.units(from: scope.from, to: scope.to, unit: scope.unit, by: caller)
        let timed = period.units.filter { $0.received.medianDeliveryMillis != nil }
        data["perDay"] = ConsoleChart.bars(
            title: text.text("report_per_day", language),
            series: [.init(name: text.text("report_sent", language), color: "#1c7ed6"), .init(name: text.text("report_received", language), color: "#2b8a3e")],
            groups: groups)
        data["deliveryTimes"] = timed.isEmpty ? "" : ConsoleChart.bars(
            title: text.text("report_delivery_times", language),
            series: [.init(name: text.text("report_median", language), color: "#f59f00"), .init(name: "p95", color: "#c92a2a")],
            groups: timed.map { .init(label: $0.unit.rawValue, values: [Double($0.received.medianDeliveryMillis ?? 0), Double($0.received.p95DeliveryMillis ?? 0)]) },
            format: { ConsoleFormat.millis(Int64($0)) })
        data["rows"] = period.units.map { report in
            [
                "unit": report.unit.rawValue, "name": report.name ?? "", "sent": report.sent.packets, "sentBytes": ConsoleFormat.bytes(report.sent.bytes),
                "received": report.received.packets, "delivered": report.received.outcomes.delivered,
                "failed": report.received.outcomes.rejected + report.received.outcomes.expired + report.received.outcomes.undeliverable
                    + report.received.outcomes.transformFailed,
                "open": report.received.outcomes.open, "median": ConsoleFormat.millis(report.received.medianDeliveryMillis),
                "p95": ConsoleFormat.millis(report.received.p95DeliveryMillis),
                "online": report.connections.onlineRatio.map { String(format: "%.0f%%", $0 * 100) } ?? "—",
            ]
        }
        data["csv"] = "/console/reports.csv?" + [
            scope.unit.map { "unit=\($0.rawValue)" }, "from=\(ConsoleFormat.day(scope.from))", "to=\(ConsoleFormat.day(scope.to.addingTimeInterval(-86400)))",
        ].compactMap { $0 }.joined(separator: "&")
        return await page("reports", title: text.text("nav_reports", language), data: data, console)
    }

    private func reportCSV(_ console: ConsoleRequest) async throws -> Response {
        let scope = try reportScope(console)
        if let error = scope.errors.first { throw LGSPError(.invalidQuery, error) }
        let report = UnitReportResponse(try await reports.units(from: scope.from, to: scope.to, unit: scope.unit, by: try await caller()))
        record("console.reports.export", session: console.session, target: "units \(scope.unit?.rawValue ?? "*") \(ConsoleFormat.day(scope.from))")
        let name = "lgsp-units-\(ReportRoutes.fileStamp(report.from))-\(ReportRoutes.fileStamp(report.to)).csv"
        return Response(
            status: .ok,
            headers: [.contentType: "text/csv; charset=utf-8; header=present", .contentDisposition: "attachment; filename=\"\(name)\"", .cacheControl: "no-store"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: UnitReportCSV.encode(report))))
    }
}
