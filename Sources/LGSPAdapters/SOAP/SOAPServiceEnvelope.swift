import Foundation
import LGSPCore
import LGSPTransform

/// A SOAP 1.1/1.2 call to a registered service through the hub (`POST /soap/services/{unit}/{service}`),
/// decoded: the version, the caller's WS-Security UsernameToken, an optional session token
/// (`<lgsp:Session>` in the SOAP Header) and the Body's payload element as an XML document of its own
/// (what the service's request mapping converts).
public struct SOAPServiceEnvelope: Sendable {
    /// The namespace of the hub's own header elements (`Session`).
    public static let namespace = "http://lgsp.vn/soap/services/1"

    public var version: SOAPVersion
    public var usernameToken: SOAPDocumentRequest.UsernameTokenFields?
    /// The session token from `<lgsp:Session>` in the Header, if the client sent one.
    public var session: String?
    /// The local name of the Body's payload element.
    public var payloadName: String
    /// The payload element as a standalone XML document (namespaces of the envelope re-declared).
    public var payload: Data

    /// Decodes an envelope of at most `maxBytes` with the safe XML parser.
    ///
    /// Throws `transform.*` (unsafe, oversized or malformed XML; not an envelope; no Body; an empty
    /// Body) and `soap.version_mismatch` (an envelope in another namespace).
    public static func decode(_ data: Data, maxBytes: Int) throws(LGSPError) -> SOAPServiceEnvelope {
        let tree = try SafeXMLParser(limits: XMLParseLimits(maxBytes: maxBytes, maxDepth: 64, maxElements: 50_000))
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
        guard let payload = body.children.first else {
            throw LGSPError(.malformedContent, "the SOAP Body is empty: it must hold the request element (see ?wsdl)")
        }
        let header = envelope.children.first { $0.localName == "Header" && $0.namespaceURI == version.namespace }
        let session = header?.children.first { $0.localName == "Session" && ($0.namespaceURI == nil || $0.namespaceURI == namespace) }?.trimmedText
        return SOAPServiceEnvelope(
            version: version, usernameToken: header.flatMap(SOAPDocumentRequest.usernameToken), session: session?.isEmpty == false ? session : nil,
            payloadName: payload.localName, payload: payload.standaloneDocument())
    }

    /// A response envelope in `version` whose Body holds `payload` (an XML document; its declaration is dropped).
    public static func response(_ payload: Data, version: SOAPVersion) -> Data {
        var text = String(decoding: payload, as: UTF8.self)
        if text.hasPrefix("<?xml"), let end = text.range(of: "?>") { text = String(text[end.upperBound...]) }
        return SOAPText.envelope(version, body: text.trimmingCharacters(in: .whitespacesAndNewlines))
    }
}
