import Foundation
import LGSPCore
import LGSPTransform

/// A decoded request to the SOAP document service: the version, the caller's WS-Security
/// UsernameToken (if any) and the command.
public struct SOAPDocumentRequest: Sendable {
    /// The caller's UsernameToken as written in `wsse:Security` (verified by the transport).
    public struct UsernameTokenFields: Sendable, Hashable {
        public var username: String
        public var password: String
        public var passwordType: String?
        public var nonce: String?
        public var created: String?
    }

    /// What the caller asks for.
    public enum Command: Sendable {
        case sendDocument(EdXMLDocument)
        case getPendingDocumentIds(limit: Int)
        case getDocument(PacketID)
        case confirmReceived(PacketID)
        case updateTraces(PacketID, EdXMLStatus)
        case getTraces(PacketID)
    }

    public var version: SOAPVersion
    public var operation: SOAPDocumentOperation
    public var usernameToken: UsernameTokenFields?
    public var command: Command
}

/// Bounds of the codec.
public struct SOAPDocumentLimits: Sendable, Hashable {
    /// Largest envelope parsed, in bytes.
    public var maxEnvelopeBytes: Int
    /// Largest edXML document (decoded from base64), in bytes.
    public var maxDocumentBytes: Int

    public init(maxEnvelopeBytes: Int = 6 << 20, maxDocumentBytes: Int = 4 << 20) {
        self.maxEnvelopeBytes = maxEnvelopeBytes
        self.maxDocumentBytes = maxDocumentBytes
    }
}

extension SOAPDocumentRequest {
    /// Decodes a SOAP 1.1 or 1.2 envelope.
    ///
    /// The operation is the body's first element (document/literal wrapped), in the service's
    /// namespace or none. Throws `soap.version_mismatch` (an envelope in another namespace),
    /// `soap.unknown_operation`, `transform.*` (unsafe, oversized or malformed XML),
    /// `exchange.content_too_large` (a document over `maxDocumentBytes`), `request.missing_field` /
    /// `request.invalid_field` (an element missing or wrong) and the edXML errors of `EdXMLDocument`.
    /// The version is known before most failures: `SOAPDocumentRequest.version(of:)` reads it for faults.
    public static func decode(_ data: Data, limits: SOAPDocumentLimits = SOAPDocumentLimits()) throws(LGSPError) -> SOAPDocumentRequest {
        let tree = try SafeXMLParser(limits: XMLParseLimits(maxBytes: limits.maxEnvelopeBytes, maxDepth: 32, maxElements: 10_000))
            .parse(data, name: "SOAP envelope")
        guard let envelope = tree.root, envelope.localName == "Envelope" else {
            throw LGSPError(.malformedContent, "the request is not a SOAP envelope: its root is <\(tree.root?.name ?? "")>")
        }
        guard let version = SOAPVersion(namespace: envelope.namespaceURI) else {
            throw LGSPError(.soapVersionMismatch, "the SOAP envelope namespace \(envelope.namespaceURI ?? "(none)") is neither SOAP 1.1 (\(SOAPVersion.soap11.namespace)) nor SOAP 1.2 (\(SOAPVersion.soap12.namespace))")
        }
        guard let body = envelope.children.first(where: { $0.localName == "Body" && $0.namespaceURI == version.namespace }) else {
            throw LGSPError(.malformedContent, "the SOAP envelope has no Body")
        }
        guard let call = body.children.first else {
            throw LGSPError(.soapUnknownOperation, "the SOAP Body is empty: send one of \(SOAPDocumentOperation.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        guard let operation = SOAPDocumentOperation(rawValue: call.localName),
              call.namespaceURI == nil || call.namespaceURI == SOAPDocumentService.namespace
        else {
            throw LGSPError(.soapUnknownOperation, "the operation {\(call.namespaceURI ?? "")}\(call.localName) is not offered here; operations are \(SOAPDocumentOperation.allCases.map(\.rawValue).joined(separator: ", ")) in the namespace \(SOAPDocumentService.namespace) (see ?wsdl)",
                details: ["operation": call.localName])
        }
        let header = envelope.children.first { $0.localName == "Header" && $0.namespaceURI == version.namespace }
        let token = header.flatMap(Self.usernameToken)
        let command: Command
        switch operation {
        case .sendDocument:
            let document = try base64(call, "Document", limit: limits.maxDocumentBytes)
            command = .sendDocument(try EdXMLDocument.parse(document, limits: XMLParseLimits(maxBytes: limits.maxDocumentBytes)))
        case .getPendingDocumentIds:
            var limit = 100
            if let text = call.child("Limit")?.trimmedText {
                guard let value = Int(text), (1...1000).contains(value) else {
                    throw LGSPError(.invalidField, "Limit must be an integer from 1 to 1000", field: "Limit")
                }
                limit = value
            }
            command = .getPendingDocumentIds(limit: limit)
        case .getDocument:
            command = .getDocument(try documentID(call))
        case .confirmReceived:
            command = .confirmReceived(try documentID(call))
        case .updateTraces:
            let id = try documentID(call)
            let status = try base64(call, "StatusDocument", limit: 1 << 20)
            command = .updateTraces(id, try EdXMLStatus.parse(status, limits: XMLParseLimits(maxBytes: 1 << 20)))
        case .getTraces:
            command = .getTraces(try documentID(call))
        }
        return SOAPDocumentRequest(version: version, operation: operation, usernameToken: token, command: command)
    }

    /// The SOAP version of an envelope, as far as it can be read (for faults about broken requests); 1.1 otherwise.
    public static func version(of data: Data) -> SOAPVersion {
        // Cheap and safe: no parse, just look for the 1.2 namespace near the start.
        let head = String(decoding: data.prefix(2048), as: UTF8.self)
        return head.contains(SOAPVersion.soap12.namespace) ? .soap12 : .soap11
    }

    static func usernameToken(_ header: XMLNodeRef) -> UsernameTokenFields? {
        guard let security = header.children.first(where: { $0.localName == "Security" }),
              let token = security.child("UsernameToken"),
              let username = token.child("Username")?.trimmedText
        else { return nil }
        let password = token.child("Password")
        return UsernameTokenFields(
            username: username, password: password?.trimmedText ?? "", passwordType: password?.attribute("Type"),
            nonce: token.child("Nonce")?.trimmedText, created: token.child("Created")?.trimmedText)
    }

    private static func documentID(_ call: XMLNodeRef) throws(LGSPError) -> PacketID {
        guard let text = call.child("DocumentId")?.trimmedText else {
            throw LGSPError(.missingField, "\(call.localName) needs a DocumentId (the hub's document id, as GetPendingDocumentIds lists it)", field: "DocumentId")
        }
        guard let id = PacketID(text) else {
            throw LGSPError(.invalidField, "DocumentId '\(text.prefix(80))' is not a hub document id (a UUID)", field: "DocumentId")
        }
        return id
    }

    private static func base64(_ call: XMLNodeRef, _ name: String, limit: Int) throws(LGSPError) -> Data {
        guard let element = call.child(name) else {
            throw LGSPError(.missingField, "\(call.localName) needs a \(name) element (base64)", field: name)
        }
        let text = element.text
        // Base64 is 4 characters per 3 bytes (plus line breaks): refuse before decoding.
        if text.utf8.count / 4 * 3 > limit + limit / 16 + 3 {
            throw LGSPError(.contentTooLarge, "\(name) holds about \(text.utf8.count / 4 * 3) bytes; the SOAP service takes at most \(limit): send larger content through the REST API",
                field: name, details: ["limit": "\(limit)"])
        }
        guard let data = Data(base64Encoded: text, options: .ignoreUnknownCharacters), !data.isEmpty else {
            throw LGSPError(.invalidField, "\(name) is not base64 (or is empty)", field: name)
        }
        guard data.count <= limit else {
            throw LGSPError(.contentTooLarge, "\(name) holds \(data.count) bytes; the SOAP service takes at most \(limit): send larger content through the REST API",
                field: name, details: ["limit": "\(limit)"])
        }
        return data
    }
}
