import Foundation
import Hummingbird
import LGSPCore

/// The audit log browser (administrators and operators): a period, an actor, an action prefix and
/// an outcome filter, newest first, 100 entries a page.
extension ConsoleRoutes {
    func registerAudit(on router: HubRouter) {
        get(router, "/console/audit") { console in try await audit(console) }
    }

    /// Records read per page asked for, at most.
    static let maxAuditScan = 20_000

    private func audit(_ console: ConsoleRequest) async throws -> Response {
        try console.requireReadsEverything("the audit log")
        let text = renderer.catalogue
        let language = console.language
        var errors: [String] = []
        let period = periodFilter(console, errors: &errors)
        var before: Int64?
        if let value = console.query("before") {
            if let sequence = Int64(value), sequence > 0 { before = sequence } else { errors.append(text.text("filter_before_invalid", language, ["value": value])) }
        }
        let actor = console.query("actor")
        let action = console.query("action")
        let failuresOnly = console.query("failures") == "1"
        var rows: [[String: Any]] = []
        var next = ""
        if errors.isEmpty {
            try? await hub.audit.flush()
            // The log reads oldest first by sequence: walk back from `before` (or the head) in windows.
            let head = try await hub.audit.log.head()?.sequence ?? 0
            var upper = before ?? head + 1
            var found: [AuditEntry] = []
            var scanned = 0
            while upper > 1, found.count < 100, scanned < Self.maxAuditScan {
                let lower = max(0, upper - 1 - 500)
                let window = try await hub.audit.log.entries(from: period.from, to: period.to, after: lower, limit: 500).filter { $0.sequence < upper }
                scanned += 500
                for entry in window.reversed() where found.count < 100 {
                    let record = entry.record
                    if let actor, !record.actor.localizedCaseInsensitiveContains(actor) { continue }
                    if let action, !record.action.hasPrefix(action) { continue }
                    if failuresOnly && record.outcome == "ok" { continue }
                    found.append(entry)
                }
                upper = lower + 1
            }
            rows = found.map {
                [
                    "sequence": $0.sequence, "at": ConsoleFormat.time($0.record.at), "actor": $0.record.actor, "action": $0.record.action,
                    "target": $0.record.target, "outcome": $0.record.outcome, "ok": $0.record.outcome == "ok", "source": $0.record.source,
                    "requestID": $0.record.requestID,
                ]
            }
            if found.count == 100, let last = found.last {
                var items = console.request.uri.queryParameters.filter { $0.key != "before" }.map { "\($0.key)=\(String($0.value).addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")" }
                items.append("before=\(last.sequence)")
                next = "/console/audit?" + items.joined(separator: "&")
            }
        }
        return await page(
            "audit", title: text.text("nav_audit", language),
            data: [
                "errors": errors, "rows": rows, "next": next,
                "filter": [
                    "from": console.query("from") ?? "", "to": console.query("to") ?? "", "actor": actor ?? "", "action": action ?? "",
                    "failures": failuresOnly,
                ],
            ], console, status: errors.isEmpty ? .ok : .badRequest)
    }
}
