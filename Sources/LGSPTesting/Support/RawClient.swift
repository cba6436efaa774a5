import AsyncHTTPClient
import Foundation
import LGSPAPI
import LGSPAuth
import NIOCore
import NIOFoundationCompat
import NIOHTTP1

/// Requests built by hand, signed or not, correctly or deliberately wrong: for tests of every
/// refusal the hub must make.
public struct RawClient: Sendable {
    public let url: String

    public init(url: String) { self.url = url }

    /// How a request is signed.
    public enum Signing: Sendable {
        case none
        /// SigV4 with these credentials; `date`, scope and payload hash can be forced.
        case sigV4(accessKey: String, secretKey: String, date: Date? = nil, region: String = "vn", service: String = "lgsp", payloadHash: String? = nil)
        /// A literal Authorization header.
        case authorization(String)
    }

    public struct Response: Sendable {
        public var status: Int
        public var headers: HTTPHeaders
        public var body: Data

        /// The problem document, if the body is one.
        public var problem: ProblemBody? { try? APICoding.makeDecoder().decode(ProblemBody.self, from: body) }
        public var text: String { String(decoding: body, as: UTF8.self) }
    }

    public func send(
        _ method: String, _ target: String, headers: [(String, String)] = [], body: Data = Data(), signing: Signing = .none,
        timeout: TimeAmount = .seconds(60)
    ) async throws -> Response {
        var request = HTTPClientRequest(url: url + target)
        request.method = HTTPMethod(rawValue: method)
        guard let components = URLComponents(string: url), let host = components.host else { throw HubProcessError(message: "bad url \(url)") }
        let authority = components.port.map { "\(host):\($0)" } ?? host
        var all: [(name: String, value: String)] = [("host", authority)] + headers.map { ($0.0, $0.1) }
        switch signing {
        case .none:
            break
        case .authorization(let value):
            all.append(("authorization", value))
        case .sigV4(let accessKey, let secretKey, let date, let region, let service, let payloadHash):
            let signer = SigV4Signer(accessKey: accessKey, secretKey: secretKey, region: region, service: service)
            let signable = SignableRequest(method: method, target: target, headers: all)
            all += signer.sign(
                signable, payloadHash: payloadHash ?? SigV4Canonical.payloadHash(body), date: date ?? Date(),
                sendPayloadHash: payloadHash != nil)
        }
        for header in all { request.headers.add(name: header.name, value: header.value) }
        if !body.isEmpty { request.body = .bytes(ByteBuffer(bytes: body)) }
        let response = try await HTTPClient.shared.execute(request, timeout: timeout)
        let bytes = try await response.body.collect(upTo: 64 << 20)
        return Response(status: Int(response.status.code), headers: response.headers, body: Data(buffer: bytes))
    }
}
