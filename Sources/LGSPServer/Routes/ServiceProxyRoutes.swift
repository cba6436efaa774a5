import AsyncHTTPClient
import Foundation
import HTTPTypes
import Hummingbird
import LGSPAPI
import LGSPAuth
import LGSPCore
import NIOCore
import NIOHTTP1

/// Article 10 step 3, X-Road style: a consumer calls `/v1/services/{unit}/{service}/{path…}` signed,
/// with its session token in `X-LGSP-Session`; the hub authenticates, authorises, forwards the call
/// to the provider (streaming both ways), adds headers that identify the consumer — with an assertion
/// the hub signs, so the provider can trust them — returns the provider's answer and logs the call
/// (who, what, status, sizes, duration; never bodies).
struct ServiceProxyRoutes {
    let hub: Hub
    static let methods: [HTTPRequest.Method] = [.get, .post, .put, .patch, .delete, .head, .options]
    /// Headers the hub never passes on: hop-by-hop headers and the consumer's credentials.
    static let dropped: Set<String> = [
        "host", "connection", "keep-alive", "proxy-connection", "te", "trailer", "transfer-encoding", "upgrade", "authorization",
        "expect", "content-length",
    ]

    func register(on router: HubRouter) {
        for method in Self.methods {
            router.add(method, "/v1/services/{unit}/{service}/**") { request, context in try await call(request, context) }
            router.add(method, "/v1/services/{unit}/{service}") { request, context in try await call(request, context) }
        }
    }

    private func call(_ request: Request, _ context: HubRequestContext) async throws -> Response {
        let started = Date()
        guard let unit = UnitCode(lenient: context.parameters.get("unit") ?? "") else {
            throw LGSPError(.invalidField, "'\(context.parameters.get("unit") ?? "")' is not a unit code", field: "unit")
        }
        let ref = try ServiceRef(unit: unit, validName: context.parameters.get("service") ?? "", field: "service")
        // Small bodies are read and signed over; large ones stream to the provider (UNSIGNED-PAYLOAD).
        let length = request.headers[.contentLength].flatMap(Int.init)
        let buffered: ByteBuffer?
        let payload: PayloadPolicy
        if let length, length <= hub.configuration.maxJSONBytes {
            let body = try await request.body.collect(upTo: hub.configuration.maxJSONBytes)
            buffered = body
            payload = .body(sha256: SigV4CanonicalHash.of(body), bytes: Data(body.readableBytesView))
        } else if length == nil && request.headers[.transferEncoding] == nil {
            buffered = ByteBuffer()
            payload = .body(sha256: SigV4Canonical.emptyPayloadHash, bytes: Data())
        } else {
            buffered = nil
            payload = .stream(acceptedHashes: [SigV4Canonical.emptyPayloadHash])
        }
        let caller = try await hub.authenticator.authenticate(request.signable, payload: payload)
        let consumerUnit = try caller.requireUnit(for: "call a service")
        let log = ServiceCall(
            at: started, consumerApp: caller.app.accessKey, consumerUnit: consumerUnit, service: ref, method: request.method.rawValue,
            path: Self.subpath(request), status: 0, requestBytes: Int64(length ?? buffered?.readableBytes ?? 0), responseBytes: 0, duration: 0,
            errorCode: nil)
        let forwarder = ServiceForwarder(hub: hub)
        do {
            let service = try await forwarder.authorize(caller: caller, ref: ref, session: request.headers[.lgspSession])
            return try await forward(request, body: buffered, length: length, to: service, caller: caller, consumerUnit: consumerUnit, log: log)
        } catch let error as LGSPError {
            await forwarder.recordFailure(log, error)
            throw error
        }
    }

    private func forward(
        _ request: Request, body: ByteBuffer?, length: Int?, to service: Service, caller: Caller, consumerUnit: UnitCode, log: ServiceCall
    ) async throws -> Response {
        // A service with a request mapping gets the consumer's body converted (read whole, bounded).
        var body = body
        var convertedType: String?
        if let mapping = service.requestMapping {
            let whole: ByteBuffer
            if let body { whole = body } else {
                whole = try await Self.collect(request.body, limit: hub.configuration.exchange.maxTransformSize, what: "the request body")
            }
            let converted = try hub.mappings.convert(Data(whole.readableBytesView), mapping: mapping)
            body = ByteBuffer(bytes: converted.data)
            convertedType = converted.mediaType
        }
        let target = request.head.path ?? "/"
        let query = target.firstIndex(of: "?").map { String(target[$0...]) } ?? ""
        var outbound = HTTPClientRequest(url: service.baseURL + Self.subpath(request) + query)
        outbound.method = HTTPMethod(rawValue: request.method.rawValue)
        for field in request.headers {
            let name = field.name.canonicalName
            if Self.dropped.contains(name) || name.hasPrefix("x-amz-") || name.hasPrefix("signature") || name == "x-lgsp-session" { continue }
            if name.hasPrefix("x-lgsp-") || (convertedType != nil && name == "content-type") { continue }
            outbound.headers.add(name: field.name.rawName, value: field.value)
        }
        if let convertedType { outbound.headers.add(name: "Content-Type", value: convertedType + "; charset=utf-8") }
        if let body {
            if body.readableBytes > 0 { outbound.body = .bytes(body) }
        } else if let length {
            outbound.body = .stream(request.body, length: .known(Int64(length)))
        } else {
            outbound.body = .stream(request.body, length: .unknown)
        }
        let (response, requestID) = try await ServiceForwarder(hub: hub).send(
            outbound, to: service, caller: caller, consumerUnit: consumerUnit, session: request.headers[.lgspSession])
        var headers = HTTPFields()
        for header in response.headers where !Self.dropped.contains(header.name.lowercased()) {
            if let name = HTTPField.Name(header.name) { headers.append(HTTPField(name: name, value: header.value)) }
        }
        headers[.init("X-LGSP-Request-Id")!] = requestID
        let store = hub.store
        let status = Int(response.status.code)
        if let mapping = service.responseMapping, (200..<300).contains(status), request.method != .head {
            return try await convertedAnswer(response, mapping: mapping, headers: headers, log: log)
        }
        let contentLength = response.headers.first(name: "content-length").flatMap(Int.init)
        let responseBody = ResponseBody(contentLength: contentLength) { writer in
            var sent: Int64 = 0
            var entry = log
            do {
                for try await chunk in response.body {
                    sent += Int64(chunk.readableBytes)
                    try await writer.write(chunk)
                }
                try await writer.finish(nil)
            } catch {
                entry.errorCode = ErrorCode.providerUnreachable.rawValue
                throw error
            }
            entry.status = status
            entry.responseBytes = sent
            entry.duration = Date().timeIntervalSince(log.at)
            try? await store.record(entry)
        }
        return Response(status: HTTPResponse.Status(code: status), headers: headers, body: request.method == .head ? ResponseBody() : responseBody)
    }

    /// The provider's successful answer converted with the service's response mapping (read whole,
    /// bounded). A conversion failure is the provider's answer not fitting the mapping: the consumer
    /// gets the `transform.*` problem, and the call log says so.
    private func convertedAnswer(_ response: HTTPClientResponse, mapping: String, headers: HTTPFields, log: ServiceCall) async throws -> Response {
        let whole: ByteBuffer
        do {
            whole = try await Self.collect(response.body, limit: hub.configuration.exchange.maxTransformSize, what: "the provider's answer")
        } catch let error as LGSPError {
            throw error
        } catch {
            throw LGSPError(.providerUnreachable, "service \(log.service) broke off its answer")
        }
        let converted: ConvertedPayload
        do {
            converted = try hub.mappings.convert(Data(whole.readableBytesView), mapping: mapping)
        } catch {
            throw LGSPError(error.code, "the answer of service \(log.service) could not be converted with mapping \(mapping): \(error.message)")
        }
        var headers = headers
        headers[.contentType] = converted.mediaType + "; charset=utf-8"
        headers[.contentLength] = nil
        var entry = log
        entry.status = Int(response.status.code)
        entry.responseBytes = Int64(converted.data.count)
        entry.duration = Date().timeIntervalSince(log.at)
        try? await hub.store.record(entry)
        return Response(status: HTTPResponse.Status(code: entry.status), headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: converted.data)))
    }

    /// Reads a body whole, refusing more than `limit` bytes with `transform.limit_exceeded`.
    static func collect<Body: AsyncSequence>(_ body: Body, limit: Int64, what: String) async throws -> ByteBuffer where Body.Element == ByteBuffer {
        var whole = ByteBuffer()
        for try await chunk in body {
            guard Int64(whole.readableBytes + chunk.readableBytes) <= limit else {
                throw LGSPError(.contentLimitExceeded, "\(what) is larger than transform.maxContentBytes (\(limit) bytes), the most the hub converts")
            }
            var chunk = chunk
            whole.writeBuffer(&chunk)
        }
        return whole
    }

    /// The path below `/v1/services/{unit}/{service}`, as sent (still percent-encoded), starting with `/` or empty.
    static func subpath(_ request: Request) -> String {
        let target = request.head.path ?? "/"
        let path = target.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? target
        let segments = path.split(separator: "/", omittingEmptySubsequences: false)
        // "", "v1", "services", unit, service, rest…
        guard segments.count > 5 else { return "" }
        return "/" + segments[5...].joined(separator: "/")
    }
}

extension HTTPField.Name {
    static let lgspSession = HTTPField.Name("X-LGSP-Session")!
}
