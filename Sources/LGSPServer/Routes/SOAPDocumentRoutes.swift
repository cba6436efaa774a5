import Foundation
import HTTPTypes
import Hummingbird
import LGSPAdapters
import LGSPAuth
import LGSPCore
import NIOCore

/// The SOAP document service for legacy document-management systems: `POST /soap/documents` (SOAP
/// 1.1 or 1.2, operations of `SOAPDocumentOperation`) and its WSDL at `GET /soap/documents?wsdl`.
///
/// A thin transport around `SOAPDocumentRequest` (the codec): read the body (bounded), decode,
/// authenticate (an HTTP signature if the request carries one, else the WS-Security UsernameToken),
/// call the exchange, encode. Every failure is a SOAP fault with the hub's error code in `detail`.
struct SOAPDocumentRoutes {
    let hub: Hub

    static let path = "/soap/documents"

    func register(on router: HubRouter) {
        router.get(Self.path) { request, _ in try wsdl(request) }
        router.post(Self.path) { request, _ in await handle(request) }
    }

    var limits: SOAPDocumentLimits {
        // libxml2 refuses text nodes over 10 MB without XML_PARSE_HUGE (never set): keep the base64 below that.
        let document = min(Int(hub.configuration.exchange.maxInlineContentSize), 7 << 20)
        return SOAPDocumentLimits(maxEnvelopeBytes: document / 3 * 4 + 64 * 1024, maxDocumentBytes: document)
    }

    private func wsdl(_ request: Request) throws -> Response {
        guard (request.uri.query ?? "").split(separator: "&").contains(where: { $0.split(separator: "=").first?.lowercased() == "wsdl" }) else {
            throw LGSPError(.invalidQuery, "GET \(Self.path) serves the WSDL only: ask for \(Self.path)?wsdl; operations are POSTed", field: "wsdl")
        }
        let text = SOAPDocumentWSDL.document(location: hub.baseURL(for: request) + Self.path)
        return Response(status: .ok, headers: [.contentType: "text/xml; charset=utf-8"], body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }

    private func handle(_ request: Request) async -> Response {
        var version = SOAPVersion.soap11
        do {
            let buffer: ByteBuffer
            do {
                buffer = try await request.body.collect(upTo: limits.maxEnvelopeBytes)
            } catch is NIOTooManyBytesError {
                throw LGSPError(.bodyTooLarge, "the SOAP request is larger than the \(limits.maxEnvelopeBytes) bytes this service accepts; send larger content through the REST API",
                    details: ["limit": "\(limits.maxEnvelopeBytes)"])
            }
            let data = Data(buffer.readableBytesView)
            version = SOAPDocumentRequest.version(of: data)
            let decoded = try SOAPDocumentRequest.decode(data, limits: limits)
            version = decoded.version
            let caller = try await authenticate(request, usernameToken: decoded.usernameToken, body: data)
            let answer = try await perform(decoded.command, by: caller)
            return Response(status: .ok, headers: [.contentType: version.contentType], body: ResponseBody(byteBuffer: ByteBuffer(bytes: answer.envelope(version))))
        } catch {
            let failure: LGSPError
            if let error = error as? LGSPError {
                failure = error
            } else {
                hub.logger.error("SOAP request failed", metadata: ["error": "\(String(reflecting: type(of: error)))"])
                failure = LGSPError(.internalError, "the hub failed to handle the request; the failure is logged")
            }
            if failure.code.side == .server {
                hub.logger.error("SOAP request failed", metadata: ["code": "\(failure.code.rawValue)", "error": "\(failure.message)"])
            }
            return Response(
                status: HTTPResponse.Status(code: SOAPFault.httpStatus(failure, version: version)), headers: [.contentType: version.contentType],
                body: ResponseBody(byteBuffer: ByteBuffer(bytes: SOAPFault.envelope(failure, version: version))))
        }
    }

    /// An HTTP signature when the request carries one, else the UsernameToken; `auth.missing_signature` without either.
    /// (SOAP service calls authenticate the same way.)
    func authenticate(_ request: Request, usernameToken: SOAPDocumentRequest.UsernameTokenFields?, body: Data) async throws -> Caller {
        let payload = PayloadPolicy.body(sha256: ContentDigest.of(body).hex, bytes: body)
        let signable = request.signable
        if signable.value("authorization") != nil || signable.value("signature-input") != nil {
            return try await hub.authenticator.authenticate(signable, payload: payload)
        }
        guard let fields = usernameToken else {
            throw LGSPError(.missingSignature, "the SOAP request is not authenticated: send a WS-Security UsernameToken with a PasswordDigest (Username = access key, password = secret key, Nonce, Created), or sign the HTTP request (AWS SigV4, RFC 9421, OAuth 1.0a)")
        }
        let token = UsernameToken(
            username: fields.username, password: fields.password, passwordType: fields.passwordType, nonce: fields.nonce, created: fields.created)
        let signature = try UsernameTokenScheme(allowedSkew: hub.configuration.clockSkew).parse(token, now: hub.clock.now())
        return try await hub.authenticator.authenticate(signature, payload: payload)
    }

    private func perform(_ command: SOAPDocumentRequest.Command, by caller: Caller) async throws -> SOAPDocumentResponse {
        let exchange = hub.exchange
        switch command {
        case .sendDocument(let document):
            // The document's sender is the caller's unit: a legacy system may not send in another organ's name.
            let unit = try caller.requireUnit(for: "send documents")
            guard UnitCode(lenient: document.from) == unit else {
                throw LGSPError(
                    .forbidden, "the edXML From organ \(document.from) is not the unit of app \(caller.app.accessKey) (\(unit)); a system sends in its own unit's name",
                    field: "From")
            }
            let receipt = try await exchange.send(document.sendRequest(dataType: try DataType("edoc")), by: caller)
            var packet = receipt.packet
            if packet.state == .awaitingUpload {
                packet = try await exchange.upload(packet.id, by: caller, offset: nil, body: SingleBuffer(buffer: ByteBuffer(bytes: document.bytes))).packet
            }
            return .sent(
                documentId: packet.id, edXMLDocumentId: document.documentId, businessType: document.businessType.name, state: packet.state.rawValue,
                replayed: receipt.replayed)
        case .getPendingDocumentIds(let limit):
            return .pending(try await exchange.inbox(for: caller, limit: limit).map(\.packet.id))
        case .getDocument(let id):
            // Accepting again renews the download space, so a repeated GetDocument works too.
            _ = try await exchange.accept(id, by: caller)
            let grant = try await exchange.openDownload(id, by: caller)
            guard grant.content.size <= Int64(limits.maxDocumentBytes) else {
                throw LGSPError(.contentTooLarge, "document \(id) has \(grant.content.size) bytes; the SOAP service returns at most \(limits.maxDocumentBytes): fetch it through the REST API (GET /v1/packets/\(id)/content)",
                    details: ["limit": "\(limits.maxDocumentBytes)"])
            }
            var bytes = Data()
            bytes.reserveCapacity(Int(grant.content.size))
            try await hub.blobs.read(grant.blob, key: grant.key, range: 0..<grant.content.size) { buffer in
                bytes.append(contentsOf: buffer.readableBytesView)
            }
            return .document(
                documentId: id, from: grant.packet.sourceUnit.description, subject: grant.packet.subject, priority: grant.packet.priority.rawValue,
                sha256: grant.content.sha256.hex, bytes: bytes)
        case .confirmReceived(let id):
            // The hub served the bytes itself: the receipt is for what the delivery serves.
            let record = try await exchange.record(id)
            guard let delivery = record.deliveries.first(where: { $0.appID == caller.app.id }) else {
                throw LGSPError(.notRecipient, "app \(caller.app.accessKey) is not a destination of document \(id)")
            }
            let acknowledged = try await exchange.acknowledge(id, sha256: delivery.content(of: record.packet).sha256, by: caller)
            return .confirmed(documentId: id, state: acknowledged.state.rawValue)
        case .updateTraces(let id, let status):
            let (trace, delivery) = try await exchange.recordTrace(id, report: status.report, by: caller)
            return .traced(documentId: id, statusCode: trace.status.rawValue, state: delivery.state.rawValue)
        case .getTraces(let id):
            return .traces(documentId: id, try await exchange.traces(of: id, by: caller).map(SOAPDocumentResponse.Trace.init))
        }
    }
}
