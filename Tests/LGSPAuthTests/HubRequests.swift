import Foundation
import LGSPAuth

/// Requests shaped like the hub's traffic, signed with a fixed credential at a fixed instant.
enum HubRequests {
    static let accessKey = "LGSPQ4XK2M7TW3JD5HAB"
    static let secret = "u2V0Y3JldC1rZXktZm9yLXRlc3RzLW9ubHktMDA0"
    static let otherSecret = "b3RoZXItc2VjcmV0LWtleS1mb3ItdGVzdHMtMDA1"
    static let host = "hub.example.vn"
    /// 20261129T083000Z.
    static let now = Date(timeIntervalSince1970: 1_795_941_000)
    static let signer = SigV4Signer(accessKey: accessKey, secretKey: secret)
    static let verifier = SigV4Verifier()
    static let jsonBody = Data(#"{"to":["000.00.05.H24"],"subject":"Công văn","dataType":"edoc"}"#.utf8)

    /// `target` signed by `signer` at `date` over `body`, with `host` and the extra headers.
    static func signed(
        _ method: String = "GET", _ target: String, body: Data = Data(), headers: [(name: String, value: String)] = [],
        date: Date = now, signer: SigV4Signer = signer, sendPayloadHash: Bool = true
    ) -> SignableRequest {
        var request = SignableRequest(method: method, target: target, headers: [("host", host)] + headers)
        request.headers += signer.sign(
            request, payloadHash: SigV4Canonical.payloadHash(body), date: date, sendPayloadHash: sendPayloadHash)
        return request
    }

    /// The request with the value of header `name` replaced (or added when absent).
    static func replacing(_ name: String, with value: String, in request: SignableRequest) -> SignableRequest {
        var copy = request
        copy.headers.removeAll { $0.name.lowercased() == name.lowercased() }
        copy.headers.append((name, value))
        return copy
    }
}
