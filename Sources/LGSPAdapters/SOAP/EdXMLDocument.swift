import Foundation
import LGSPCore
import LGSPTransform

/// The header of an edXML document (QCVN 102:2016) as the hub reads it, and the document's bytes.
///
/// Reading is strict on what matters (From, To, DocumentId, Subject; the envelope's namespace) and
/// lenient on real-world noise: element order, the `edXML:` prefix present or not (any prefix, or
/// none), the older `http://www.e-doc.vn/Schema/` namespace, stray bytes before `<?xml`, the string
/// `null` or an empty organ id among the recipients, non-canonical organ codes (parsed leniently by
/// the exchange).
public struct EdXMLDocument: Sendable, Hashable {
    /// The QCVN 102:2016 namespace, the one the hub emits.
    public static let namespace = "http://www.mic.gov.vn/TBT/QCVN_102_2016"
    /// The older namespace of provincial eDoc hubs, accepted on input.
    public static let legacyNamespace = "http://www.e-doc.vn/Schema/"
    static let acceptedNamespaces: Set<String?> = [namespace, legacyNamespace, nil]

    /// `BussinessDocType` (sic): what the document does to an earlier one.
    public enum BusinessType: String, Sendable, Hashable {
        case new = "0", revocation = "1", update = "2", replacement = "3"

        public var name: String {
            switch self {
            case .new: "new"
            case .revocation: "revocation"
            case .update: "update"
            case .replacement: "replacement"
            }
        }
    }

    public var from: String
    /// Recipient organ codes as written (without `null` and empty ones), in order, without repeats.
    public var to: [String]
    public var documentId: String
    public var subject: String
    public var priority: Priority
    public var businessType: BusinessType
    public var codeNumber: String?
    public var codeNotation: String?
    /// The number of inline base64 attachments (`AttachmentEncoded/Attachment`, or `Attachment`).
    public var attachmentCount: Int
    /// The document exactly as received: the packet's content.
    public var bytes: Data

    /// Reads an edXML document.
    ///
    /// Throws `transform.unsafe_xml` (a DOCTYPE: XXE, entity bombs), `transform.limit_exceeded`,
    /// `transform.malformed_content` (not well formed), `edxml.invalid_document` (not an
    /// `edXMLEnvelope` in an accepted namespace, or no `MessageHeader`), `exchange.no_recipients`
    /// (no usable `To`), `request.missing_field` (no From, DocumentId or Subject).
    public static func parse(_ data: Data, limits: XMLParseLimits = .standard) throws(LGSPError) -> EdXMLDocument {
        let tree = try SafeXMLParser(limits: limits).parse(data, name: "edXML document")
        guard let root = tree.root else { throw LGSPError(.invalidEdXML, "the edXML document has no root element") }
        let envelope = try envelope(root)
        guard let message = envelope.descendant("MessageHeader", maxDepth: 3) else {
            throw LGSPError(.invalidEdXML, "the edXML envelope has no MessageHeader (edXMLHeader/MessageHeader)", field: "MessageHeader")
        }
        guard let from = message.child("From")?.child("OrganId")?.trimmedText, from != "null" else {
            throw LGSPError(.missingField, "the edXML MessageHeader has no From/OrganId (the sending organ)", field: "MessageHeader/From/OrganId")
        }
        var to: [String] = []
        for recipient in message.children("To") {
            guard let code = recipient.child("OrganId")?.trimmedText, code.lowercased() != "null", !to.contains(code) else { continue }
            to.append(code)
        }
        if to.isEmpty {
            throw LGSPError(.noRecipients, "the edXML MessageHeader has no To with an OrganId: a document needs at least one recipient organ", field: "MessageHeader/To")
        }
        guard let documentId = message.child("DocumentId")?.trimmedText else {
            throw LGSPError(.missingField, "the edXML MessageHeader has no DocumentId", field: "MessageHeader/DocumentId")
        }
        guard documentId.count <= 500 else {
            throw LGSPError(.invalidField, "the edXML DocumentId has \(documentId.count) characters; at most 500 are accepted", field: "MessageHeader/DocumentId")
        }
        guard let rawSubject = message.child("Subject")?.trimmedText else {
            throw LGSPError(.missingField, "the edXML MessageHeader has no Subject (trích yếu)", field: "MessageHeader/Subject")
        }
        let subject = rawSubject.precomposedStringWithCanonicalMapping.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        let priority = Self.priority(message.child("OtherInfo")?.child("Priority")?.trimmedText)
        let businessText = envelope.descendant("Bussiness", maxDepth: 4)?.child("BussinessDocType")?.trimmedText
            ?? envelope.descendant("Business", maxDepth: 4)?.child("BusinessDocType")?.trimmedText
        let business: BusinessType
        if let businessText {
            guard let value = BusinessType(rawValue: businessText) else {
                throw LGSPError(.invalidField, "BussinessDocType '\(businessText)' must be 0 (new), 1 (revocation), 2 (update) or 3 (replacement)",
                    field: "TraceHeaderList/Bussiness/BussinessDocType")
            }
            business = value
        } else {
            business = .new
        }
        let code = message.child("Code")
        let attachments = root.descendant("AttachmentEncoded", maxDepth: 3)?.children("Attachment").count
            ?? root.children("Attachment").count
        return EdXMLDocument(
            from: from, to: to, documentId: documentId, subject: subject, priority: priority, businessType: business,
            codeNumber: code?.child("CodeNumber")?.trimmedText, codeNotation: code?.child("CodeNotation")?.trimmedText,
            attachmentCount: attachments, bytes: data)
    }

    /// The `edXMLEnvelope`: the root, or a child of it (files that wrap the envelope with attachments).
    static func envelope(_ root: XMLNodeRef) throws(LGSPError) -> XMLNodeRef {
        let candidate = root.localName == "edXMLEnvelope" ? root : root.child("edXMLEnvelope")
        guard let envelope = candidate else {
            throw LGSPError(.invalidEdXML, "the document is not edXML: its root is <\(root.name)>, not edXMLEnvelope")
        }
        guard acceptedNamespaces.contains(envelope.namespaceURI) else {
            throw LGSPError(.invalidEdXML, "the edXML envelope is in the namespace \(envelope.namespaceURI ?? "") ; use \(namespace) (or the older \(legacyNamespace))",
                details: ["namespace": envelope.namespaceURI ?? ""])
        }
        return envelope
    }

    /// QCVN 102:2016 `OtherInfo/Priority`: 0 normal, 1 urgent, 2 very urgent, 3 flash, 4 flash with a set time.
    static func priority(_ text: String?) -> Priority {
        switch text {
        case "1": .urgent
        case "2": .veryUrgent
        case "3", "4": .flash
        default: .normal
        }
    }

    /// The core's send request for this document: an `edoc` packet over `soap` carrying the document
    /// itself; the idempotency key (`edxml:<business type>:<DocumentId>`) makes a resent document
    /// answer with the first packet and keeps the DocumentId and business type with the packet.
    public func sendRequest(dataType: DataType) -> SendRequest {
        let keyed = "edxml:\(businessType.rawValue):\(documentId)"
        let key = keyed.count <= 200 ? keyed : "edxml:\(businessType.rawValue):sha256:\(ContentDigest.of(Data(documentId.utf8)).hex)"
        return SendRequest(
            to: to, subject: subject, priority: priority, dataType: dataType, exchangeProtocol: "soap",
            content: ContentDescriptor(size: Int64(bytes.count), sha256: ContentDigest.of(bytes), mediaType: "application/xml"),
            idempotencyKey: key)
    }
}
