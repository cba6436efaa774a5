import AsyncHTTPClient
import Foundation
import HTTPTypes
import Hummingbird
import LGSPAdapters
import LGSPAuth
import LGSPCore
import NIOCore

/// SOAP service calls (Article 10 for legacy SOAP clients): `POST /soap/services/{unit}/{service}`
/// (SOAP 1.1 or 1.2) and the service's WSDL at `GET /soap/services/{unit}/{service}?wsdl`.
///
/// Identity as for the SOAP document service: an HTTP signature if the request carries one, else the
/// WS-Security UsernameToken. The session: a token from `POST /v1/auth/sessions` in
/// `<lgsp:Session xmlns:lgsp="http://lgsp.vn/soap/services/1">` in the SOAP Header is checked like
/// `X-LGSP-Session`; without one the session is implicit — the hub lets the authenticated caller
/// through only if it holds a grant for the service now (what issuing a session would need), so grants
/// are enforced on every call either way.
///
/// A service with a `requestMapping` and a `responseMapping`: the Body's payload element is converted
/// with the request mapping (XML → the provider's JSON) and POSTed to the service's address; a 2xx
/// JSON answer is converted with the response mapping (JSON → XML) and wrapped in a SOAP response
/// envelope. A `soap` service without mappings gets the envelope unchanged (Content-Type and
/// SOAPAction kept) and its answer, faults included, goes back unchanged. Forwarding, headers,
/// assertion and the call log are those of the REST proxy (`ServiceForwarder`). Every failure of the
/// hub is a SOAP fault with its error code in `detail` (the shape of the document service); a
/// provider's non-2xx answer to a mapped call is a `service.provider_unreachable` fault naming its status.
struct SOAPServiceRoutes {
    let hub: Hub

    static let path = "/soap/services/{unit}/{service}"
    /// The WSDL of a mapped service: `schemas/soap/<requestMapping>.wsdl` with `{{location}}` replaced by the endpoint URL.
    static let wsdlFolder = "schemas/soap"

    func register(on router: HubRouter) {
        router.get(Self.path) { request, context in try await wsdl(request, context) }
        router.post(Self.path) { request, context in await handle(request, context) }
    }

    private func reference(_ context: HubRequestContext) throws -> ServiceRef {
        guard let unit = UnitCode(lenient: context.parameters.get("unit") ?? "") else {
            throw LGSPError(.invalidField, "'\(context.parameters.get("unit") ?? "")' is not a unit code", field: "unit")
        }
        return try ServiceRef(unit: unit, validName: context.parameters.get("service") ?? "", field: "service")
    }

    private func wsdl(_ request: Request, _ context: HubRequestContext) async throws -> Response {
        let ref = try reference(context)
        let endpoint = "/soap/services/\(ref.unit.rawValue)/\(ref.name)"
        guard (request.uri.query ?? "").split(separator: "&").contains(where: { $0.split(separator: "=").first?.lowercased() == "wsdl" }) else {
            throw LGSPError(.invalidQuery, "GET \(endpoint) serves the WSDL only: ask for \(endpoint)?wsdl; calls are POSTed", field: "wsdl")
        }
        guard let service = try await hub.store.service(ref) else { throw LGSPError(.unknownService, "there is no service \(ref)") }
        guard let mapping = service.requestMapping,
              let text = try? String(
                contentsOfFile: hub.configuration.transformDirectory + "/\(Self.wsdlFolder)/\(mapping).wsdl", encoding: .utf8)
        else {
            throw LGSPError(.routeNotFound, "service \(ref) has no WSDL at the hub (\(Self.wsdlFolder)/<request mapping>.wsdl); a SOAP service without mappings publishes its own")
        }
        let location = Self.escape(hub.baseURL(for: request) + endpoint)
        return Response(
            status: .ok, headers: [.contentType: "text/xml; charset=utf-8"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: text.replacingOccurrences(of: "{{location}}", with: location))))
    }

    private func handle(_ request: Request, _ context: HubRequestContext) async -> Response {
        var version = SOAPVersion.soap11
        var log: ServiceCall?
        let forwarder = ServiceForwarder(hub: hub)
        do {
            let ref = try reference(context)
            let limit = Int(min(hub.configuration.exchange.maxTransformSize, Int64(Int32.max)))
            let buffer: ByteBuffer
            do {
                buffer = try await request.body.collect(upTo: limit)
            } catch is NIOTooManyBytesError {
                throw LGSPError(.bodyTooLarge, "the SOAP request is larger than transform.maxContentBytes (\(limit) bytes), the most the hub converts",
                    details: ["limit": "\(limit)"])
            }
            let data = Data(buffer.readableBytesView)
            version = SOAPDocumentRequest.version(of: data)
            let envelope = try SOAPServiceEnvelope.decode(data, maxBytes: limit)
            version = envelope.version
            let caller = try await SOAPDocumentRoutes(hub: hub).authenticate(request, usernameToken: envelope.usernameToken, body: data)
            let consumerUnit = try caller.requireUnit(for: "call a service")
            log = ServiceCall(
                at: Date(), consumerApp: caller.app.accessKey, consumerUnit: consumerUnit, service: ref, method: "POST", path: "",
                status: 0, requestBytes: Int64(data.count), responseBytes: 0, duration: 0, errorCode: nil)
            let service = try await forwarder.authorize(caller: caller, ref: ref, session: envelope.session, implicitSession: true)
            var outbound = HTTPClientRequest(url: service.baseURL)
            outbound.method = .POST
            let mapped = service.requestMapping != nil || service.responseMapping != nil
            if mapped {
                guard let requestMapping = service.requestMapping, service.responseMapping != nil else {
                    throw LGSPError(.noMapping, "service \(ref) converts only one way; a SOAP call needs both a request and a response mapping")
                }
                let converted = try hub.mappings.convert(envelope.payload, mapping: requestMapping)
                outbound.headers.add(name: "Content-Type", value: converted.mediaType + "; charset=utf-8")
                outbound.headers.add(name: "Accept", value: "application/json")
                outbound.body = .bytes(ByteBuffer(bytes: converted.data))
            } else {
                guard service.serviceProtocol == .soap else {
                    throw LGSPError(.noMapping, "service \(ref) is a REST service without mappings: it cannot be called over SOAP (register it with --request-mapping and --response-mapping)")
                }
                outbound.headers.add(name: "Content-Type", value: request.headers[.contentType] ?? version.contentType)
                if let action = request.headers[.init("SOAPAction")!] { outbound.headers.add(name: "SOAPAction", value: action) }
                outbound.body = .bytes(buffer)
            }
            let (response, _) = try await forwarder.send(outbound, to: service, caller: caller, consumerUnit: consumerUnit, session: envelope.session)
            let status = Int(response.status.code)
            let answer: ByteBuffer
            do {
                answer = try await ServiceProxyRoutes.collect(response.body, limit: hub.configuration.exchange.maxTransformSize, what: "the provider's answer")
            } catch let error as LGSPError {
                throw error
            } catch {
                throw LGSPError(.providerUnreachable, "service \(ref) broke off its answer")
            }
            if !mapped {
                await forwarder.recordAnswer(log!, status: status, responseBytes: Int64(answer.readableBytes))
                return Response(
                    status: HTTPResponse.Status(code: status),
                    headers: [.contentType: response.headers.first(name: "content-type") ?? version.contentType], body: ResponseBody(byteBuffer: answer))
            }
            guard (200..<300).contains(status) else {
                throw LGSPError(.providerUnreachable, "service \(ref) answered HTTP \(status)", details: ["status": "\(status)"])
            }
            let converted: ConvertedPayload
            do {
                converted = try hub.mappings.convert(Data(answer.readableBytesView), mapping: service.responseMapping!)
            } catch {
                throw LGSPError(error.code, "the answer of service \(ref) could not be converted with mapping \(service.responseMapping!): \(error.message)")
            }
            guard converted.mediaType == "application/xml" else {
                throw LGSPError(.noMapping, "response mapping \(service.responseMapping!) does not make XML, so it cannot answer a SOAP call")
            }
            let xml = converted.data
            let envelopeOut = SOAPServiceEnvelope.response(xml, version: version)
            await forwarder.recordAnswer(log!, status: status, responseBytes: Int64(envelopeOut.count))
            return Response(status: .ok, headers: [.contentType: version.contentType], body: ResponseBody(byteBuffer: ByteBuffer(bytes: envelopeOut)))
        } catch {
            let failure: LGSPError
            if let error = error as? LGSPError {
                failure = error
            } else {
                hub.logger.error("SOAP service call failed", metadata: ["error": "\(String(reflecting: type(of: error)))"])
                failure = LGSPError(.internalError, "the hub failed to handle the request; the failure is logged")
            }
            if failure.code.side == .server {
                hub.logger.error("SOAP service call failed", metadata: ["code": "\(failure.code.rawValue)", "error": "\(failure.message)"])
            }
            if let log { await forwarder.recordFailure(log, failure) }
            return Response(
                status: HTTPResponse.Status(code: SOAPFault.httpStatus(failure, version: version)), headers: [.contentType: version.contentType],
                body: ResponseBody(byteBuffer: ByteBuffer(bytes: SOAPFault.envelope(failure, version: version))))
        }
    }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
