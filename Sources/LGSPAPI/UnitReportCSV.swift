import Foundation

/// The CSV form of `GET /v1/reports/units?format=csv` (RFC 4180): UTF-8 without a byte-order mark,
/// CRLF line ends, a header row, one row per unit; fields holding a comma, a quote or a line break are
/// quoted, quotes doubled. Absent figures (no delivery time, no observed time) are empty fields.
public enum UnitReportCSV {
    /// The header row, in column order.
    public static let header = [
        "from", "to", "unit", "name",
        "sent_packets", "sent_bytes", "sent_delivered", "sent_rejected", "sent_expired", "sent_undeliverable", "sent_transform_failed",
        "sent_open", "sent_median_ms", "sent_p95_ms",
        "received_packets", "received_bytes", "received_delivered", "received_rejected", "received_expired", "received_undeliverable",
        "received_transform_failed", "received_open", "received_median_ms", "received_p95_ms",
        "connects", "disconnects", "connected_ms", "observed_ms", "online_ratio",
    ]

    /// The whole document.
    public static func encode(_ report: UnitReportResponse) -> String {
        ([header] + rows(report)).map(line).joined()
    }

    /// The data rows, one per unit, as text fields in `header` order.
    public static func rows(_ report: UnitReportResponse) -> [[String]] {
        let from = APICoding.formatDate(report.from)
        let to = APICoding.formatDate(report.to)
        return report.items.map { item in
            [from, to, item.unit.rawValue, item.name ?? ""] + traffic(item.sent) + traffic(item.received) + [
                String(item.connections.connects), String(item.connections.disconnects), String(item.connections.connectedMillis),
                String(item.connections.observedMillis), item.connections.onlineRatio.map { String(format: "%.6f", $0) } ?? "",
            ]
        }
    }

    static func traffic(_ body: TrafficBody) -> [String] {
        let outcomes = body.deliveries
        return [
            String(body.packets), String(body.bytes), String(outcomes.delivered), String(outcomes.rejected), String(outcomes.expired),
            String(outcomes.undeliverable), String(outcomes.transformFailed), String(outcomes.open),
            body.deliveryTime.medianMillis.map(String.init) ?? "", body.deliveryTime.p95Millis.map(String.init) ?? "",
        ]
    }

    /// One record with its CRLF.
    public static func line(_ fields: [String]) -> String {
        fields.map(field).joined(separator: ",") + "\r\n"
    }

    static func field(_ text: String) -> String {
        // By scalar: "\r\n" is one Character in Swift, equal to neither "\r" nor "\n".
        guard text.unicodeScalars.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
