import Foundation
import LGSPCore

/// An answer of the SOAP document service, before it is written as an envelope.
public enum SOAPDocumentResponse: Sendable {
    /// A trace as `GetTraces` lists it.
    public struct Trace: Sendable, Hashable {
        public var organId: String
        public var statusCode: String
        public var statusName: String
        public var description: String?
        public var staff: String?
        public var timestamp: Date?
        public var recordedAt: Date

        public init(_ trace: DeliveryTrace) {
            organId = trace.recipient.description
            statusCode = trace.status.rawValue
            statusName = trace.status.name
            description = trace.description
            staff = trace.staff
            timestamp = trace.reportedAt
            recordedAt = trace.at
        }
    }

    case sent(documentId: PacketID, edXMLDocumentId: String, businessType: String, state: String, replayed: Bool)
    case pending([PacketID])
    case document(documentId: PacketID, from: String, subject: String, priority: String, sha256: String, bytes: Data)
    case confirmed(documentId: PacketID, state: String)
    case traced(documentId: PacketID, statusCode: String, state: String)
    case traces(documentId: PacketID, [Trace])

    var operation: SOAPDocumentOperation {
        switch self {
        case .sent: .sendDocument
        case .pending: .getPendingDocumentIds
        case .document: .getDocument
        case .confirmed: .confirmReceived
        case .traced: .updateTraces
        case .traces: .getTraces
        }
    }

    /// The response envelope in `version`: `<OperationResponse>` in the service namespace, with
    /// children in the order the WSDL's schema gives.
    public func envelope(_ version: SOAPVersion) -> Data {
        var body = SOAPText()
        body.open("\(operation.rawValue)Response")
        switch self {
        case .sent(let id, let edXMLId, let business, let state, let replayed):
            body.element("DocumentId", id.rawValue)
            body.element("EdXMLDocumentId", edXMLId)
            body.element("BusinessType", business)
            body.element("State", state)
            body.element("Replayed", replayed ? "true" : "false")
        case .pending(let ids):
            for id in ids { body.element("DocumentId", id.rawValue) }
        case .document(let id, let from, let subject, let priority, let sha256, let bytes):
            body.element("DocumentId", id.rawValue)
            body.element("From", from)
            body.element("Subject", subject)
            body.element("Priority", priority)
            body.element("Sha256", sha256)
            body.element("Document", bytes.base64EncodedString())
        case .confirmed(let id, let state):
            body.element("DocumentId", id.rawValue)
            body.element("State", state)
        case .traced(let id, let code, let state):
            body.element("DocumentId", id.rawValue)
            body.element("StatusCode", code)
            body.element("State", state)
        case .traces(let id, let traces):
            body.element("DocumentId", id.rawValue)
            for trace in traces {
                body.open("Trace")
                body.element("OrganId", trace.organId)
                body.element("StatusCode", trace.statusCode)
                body.element("StatusName", trace.statusName)
                if let description = trace.description { body.element("Description", description) }
                if let staff = trace.staff { body.element("Staff", staff) }
                if let timestamp = trace.timestamp { body.element("Timestamp", SOAPText.dateTime(timestamp)) }
                body.element("RecordedAt", SOAPText.dateTime(trace.recordedAt))
                body.close("Trace")
            }
        }
        body.close("\(operation.rawValue)Response")
        return SOAPText.envelope(version, body: body.text)
    }
}

/// A SOAP fault carrying the hub's stable error code.
public enum SOAPFault {
    /// The fault envelope for `error`: `faultcode` Client/Server (1.1) or `Code/Value` Sender/Receiver
    /// (1.2) from the code's side, `VersionMismatch` for `soap.version_mismatch`; the reason is
    /// `code: message`; `detail` holds `<lgsp:Error>` with `Code`, `Message`, `Field` (if any).
    public static func envelope(_ error: LGSPError, version: SOAPVersion) -> Data {
        var detail = SOAPText()
        detail.open("Error")
        detail.element("Code", error.code.rawValue)
        detail.element("Message", error.message)
        if let field = error.field { detail.element("Field", field) }
        detail.close("Error")
        let reason = SOAPText.escape("\(error.code.rawValue): \(error.message)")
        let sender = error.code.side == .client
        let fault: String
        switch version {
        case .soap11:
            let code = error.code == .soapVersionMismatch ? "VersionMismatch" : (sender ? "Client" : "Server")
            fault = "<soap:Fault><faultcode>soap:\(code)</faultcode><faultstring>\(reason)</faultstring><detail>\(detail.text)</detail></soap:Fault>"
        case .soap12:
            let code = error.code == .soapVersionMismatch ? "VersionMismatch" : (sender ? "Sender" : "Receiver")
            fault = "<soap:Fault><soap:Code><soap:Value>soap:\(code)</soap:Value></soap:Code><soap:Reason><soap:Text xml:lang=\"en\">\(reason)</soap:Text></soap:Reason><soap:Detail>\(detail.text)</soap:Detail></soap:Fault>"
        }
        return SOAPText.envelope(version, body: fault)
    }

    /// The HTTP status of a fault: 500 for SOAP 1.1 (SOAP 1.1 §6.2); for SOAP 1.2, 400 for a sender
    /// fault and 500 otherwise (SOAP 1.2 part 2 §7.5.1.2).
    public static func httpStatus(_ error: LGSPError, version: SOAPVersion) -> Int {
        version == .soap12 && error.code.side == .client && error.code != .soapVersionMismatch ? 400 : 500
    }
}

/// Builds XML text for the service namespace (prefix `lgsp`), escaping every value.
struct SOAPText {
    private(set) var text = ""

    mutating func open(_ name: String) { text += "<lgsp:\(name)>" }
    mutating func close(_ name: String) { text += "</lgsp:\(name)>" }
    mutating func element(_ name: String, _ value: String) { text += "<lgsp:\(name)>\(Self.escape(value))</lgsp:\(name)>" }

    static func envelope(_ version: SOAPVersion, body: String) -> Data {
        Data(("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<soap:Envelope xmlns:soap=\"\(version.namespace)\" xmlns:lgsp=\"\(SOAPDocumentService.namespace)\"><soap:Body>"
            + body + "</soap:Body></soap:Envelope>").utf8)
    }

    /// XML text with `&`, `<`, `>`, `"` escaped and characters XML 1.0 cannot carry dropped.
    static func escape(_ value: String) -> String {
        var result = ""
        result.reserveCapacity(value.utf8.count)
        for scalar in value.unicodeScalars {
            switch scalar {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "\t", "\n", "\r": result.unicodeScalars.append(scalar)
            default:
                // XML 1.0 §2.2: no other control characters.
                if scalar.value >= 0x20 && scalar.value != 0xFFFE && scalar.value != 0xFFFF { result.unicodeScalars.append(scalar) }
            }
        }
        return result
    }

    static func dateTime(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.string(from: date)
    }
}
