/// SOAP 1.1 or 1.2: envelope namespace, media type and fault codes.
public enum SOAPVersion: String, Sendable, Hashable {
    case soap11 = "1.1"
    case soap12 = "1.2"

    public var namespace: String {
        switch self {
        case .soap11: "http://schemas.xmlsoap.org/soap/envelope/"
        case .soap12: "http://www.w3.org/2003/05/soap-envelope"
        }
    }

    /// The media type of messages (SOAP 1.1 `text/xml`, SOAP 1.2 `application/soap+xml`).
    public var contentType: String {
        switch self {
        case .soap11: "text/xml; charset=utf-8"
        case .soap12: "application/soap+xml; charset=utf-8"
        }
    }

    /// The version whose envelope namespace this is.
    public init?(namespace: String?) {
        switch namespace {
        case SOAPVersion.soap11.namespace: self = .soap11
        case SOAPVersion.soap12.namespace: self = .soap12
        default: return nil
        }
    }
}

/// The operations of the SOAP document service, modelled on provincial eDoc hubs.
public enum SOAPDocumentOperation: String, Sendable, Hashable, CaseIterable {
    case sendDocument = "SendDocument"
    case getPendingDocumentIds = "GetPendingDocumentIds"
    case getDocument = "GetDocument"
    case confirmReceived = "ConfirmReceived"
    case updateTraces = "UpdateTraces"
    case getTraces = "GetTraces"
}

/// Names shared by the codec and the WSDL.
public enum SOAPDocumentService {
    /// The target namespace of the service's messages.
    public static let namespace = "http://lgsp.vn/soap/documents/1"
    static let wsse = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd"
    static let wsu = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd"
}
