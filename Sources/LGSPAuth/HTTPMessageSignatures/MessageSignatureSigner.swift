import Crypto
import Foundation
import RawStructuredFieldValues

/// Signs requests with RFC 9421 `hmac-sha256` the way the hub verifies them: `@method`,
/// `@authority`, `@target-uri`, and `content-digest` (sha-256, added) when there is a body.
/// For apps and tests written in Swift; third-party clients do the same with their own libraries.
public struct MessageSignatureSigner: Sendable {
    public var accessKey: String
    public var secretKey: String
    /// The URI scheme the request is sent with (`@target-uri`).
    public var scheme: String

    public init(accessKey: String, secretKey: String, scheme: String = "http") {
        self.accessKey = accessKey
        self.secretKey = secretKey
        self.scheme = scheme
    }

    /// The headers to add to `request` (which must carry `host`): `Content-Digest` when `body` is not
    /// empty, then `Signature-Input` and `Signature` under the label `sig1`.
    public func headers(
        for request: SignableRequest, body: Data = Data(), created: Date = Date(), nonce: String? = nil
    ) -> [(name: String, value: String)] {
        var request = request
        var added: [(name: String, value: String)] = []
        var names = ["@method", "@authority", "@target-uri"]
        if !body.isEmpty {
            added.append(("content-digest", "sha-256=:\(Data(SHA256.hash(data: body)).base64EncodedString()):"))
            request.headers += added
            names.append("content-digest")
        }
        var params = "(" + names.map { "\"\($0)\"" }.joined(separator: " ") + ");created=\(Int64(created.timeIntervalSince1970))"
        params += ";keyid=\"\(accessKey)\";alg=\"hmac-sha256\""
        if let nonce { params += ";nonce=\"\(nonce)\"" }
        var lines: [String] = []
        for name in names {
            let component = try? ComponentIdentifier(Item(bareItem: RFC9651BareItem.string(name), parameters: OrderedMap<String, RFC9651BareItem>()))
            let value = component.flatMap { try? request.componentValues($0, scheme: scheme).first } ?? ""
            lines.append("\"\(name)\": \(value)")
        }
        lines.append("\"@signature-params\": \(params)")
        let mac = HMAC<SHA256>.authenticationCode(for: Data(lines.joined(separator: "\n").utf8), using: SymmetricKey(data: Data(secretKey.utf8)))
        added.append(("signature-input", "sig1=\(params)"))
        added.append(("signature", "sig1=:\(Data(mac).base64EncodedString()):"))
        return added
    }
}
