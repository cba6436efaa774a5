import Foundation
import LGSPCore
import LGSPTransform

/// An edXML status packet (QCVN 102:2016): what a destination did with a document.
///
/// Read leniently like `EdXMLDocument` (any prefix, either namespace, any order; the `Status`
/// element may be the root, inside `edXMLHeader`, or anywhere in the envelope). Strict on
/// `StatusCode`, which must be one of 01…06, 13, 15, 16.
public struct EdXMLStatus: Sendable, Hashable {
    public var from: String?
    /// `ResponseFor/DocumentId`: the edXML DocumentId of the document the status is about.
    public var responseFor: String?
    public var code: DeliveryTrace.Status
    public var description: String?
    /// `StaffInfo` flattened: department, staff, mobile, email, those present, joined with " / ".
    public var staff: String?
    public var timestamp: Date?

    /// Reads a status packet. Throws like `EdXMLDocument.parse`, and `request.missing_field` /
    /// `request.invalid_field` for a missing or unknown `StatusCode`.
    public static func parse(_ data: Data, limits: XMLParseLimits = .standard) throws(LGSPError) -> EdXMLStatus {
        let tree = try SafeXMLParser(limits: limits).parse(data, name: "edXML status")
        guard let root = tree.root else { throw LGSPError(.invalidEdXML, "the edXML status has no root element") }
        let status: XMLNodeRef
        if root.localName == "Status" {
            status = root
        } else {
            let envelope = try EdXMLDocument.envelope(root)
            guard let found = envelope.descendant("Status", maxDepth: 4) else {
                throw LGSPError(.invalidEdXML, "the edXML status packet has no Status element (edXMLHeader/Status)", field: "Status")
            }
            status = found
        }
        guard EdXMLDocument.acceptedNamespaces.contains(status.namespaceURI) else {
            throw LGSPError(.invalidEdXML, "the edXML Status is in the namespace \(status.namespaceURI ?? ""); use \(EdXMLDocument.namespace)")
        }
        guard let codeText = status.child("StatusCode")?.trimmedText else {
            throw LGSPError(.missingField, "the edXML Status has no StatusCode", field: "Status/StatusCode")
        }
        // Some producers drop the leading zero ("3" for "03").
        let normalised = codeText.count == 1 ? "0" + codeText : codeText
        guard let code = DeliveryTrace.Status(rawValue: normalised) else {
            throw LGSPError(.invalidField, "StatusCode '\(codeText)' is not a QCVN 102:2016 status (01…06, 13, 15, 16)", field: "Status/StatusCode")
        }
        let staff = status.child("StaffInfo").map { info in
            ["Department", "Staff", "Mobile", "Email"].compactMap { info.child($0)?.trimmedText }.joined(separator: " / ")
        }
        return EdXMLStatus(
            from: status.child("From")?.child("OrganId")?.trimmedText,
            responseFor: status.child("ResponseFor")?.child("DocumentId")?.trimmedText, code: code,
            description: status.child("Description")?.trimmedText, staff: staff?.isEmpty == false ? staff : nil,
            timestamp: status.child("Timestamp")?.trimmedText.flatMap(Self.parseTimestamp))
    }

    /// QCVN 102:2016 trace time `yyyy/MM/dd HH:mm:ss` (Vietnam time, UTC+7), or ISO 8601.
    static func parseTimestamp(_ text: String) -> Date? {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(secondsFromGMT: 7 * 3600)
        for format in ["yyyy/MM/dd HH:mm:ss", "yyyy-MM-dd'T'HH:mm:ssXXXXX", "yyyy-MM-dd HH:mm:ss"] {
            formatter.dateFormat = format
            if let date = formatter.date(from: text) { return date }
        }
        return nil
    }

    /// The core's trace report for this status.
    public var report: TraceReport {
        TraceReport(status: code, description: description, staff: staff, reportedAt: timestamp)
    }
}
