import Crypto
import Foundation
import LGSPAuth
import _CryptoExtras

/// A small two-legged OAuth 1.0a signer written for the tests (RFC 5849 §3.4), independent of the
/// hub's verifier except for RFC 3986 percent-encoding.
struct OAuthTestSigner {
    enum Key {
        case secret(String)
        case rsa(_RSA.Signing.PrivateKey)
    }

    var consumerKey: String
    var method: String
    var key: Key

    /// `request` with an `Authorization: OAuth …` header; `extra` protocol parameters are added as given
    /// (an `oauth_*` name replaces the default one).
    func sign(
        _ request: SignableRequest, timestamp: Int64, nonce: String, extra: [(String, String)] = [], formBody: String? = nil,
        scheme: String = "http"
    ) -> SignableRequest {
        var protocolParameters = [
            ("oauth_consumer_key", consumerKey), ("oauth_signature_method", method), ("oauth_timestamp", String(timestamp)),
            ("oauth_nonce", nonce), ("oauth_version", "1.0"),
        ].filter { name, _ in !extra.contains { $0.0 == name } }
        protocolParameters += extra.filter { !$0.1.isEmpty || $0.0 == "oauth_token" }
        var all = protocolParameters
        for source in [request.rawQuery ?? "", formBody ?? ""] where !source.isEmpty {
            for pair in source.split(separator: "&") {
                let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).map {
                    PercentEncoding.decode($0.replacingOccurrences(of: "+", with: " "))
                }
                all.append((parts[0], parts.count > 1 ? parts[1] : ""))
            }
        }
        let encoded: [(String, String)] = all.map { (PercentEncoding.encode($0.0), PercentEncoding.encode($0.1)) }
        let sorted = encoded.sorted { (a: (String, String), b: (String, String)) -> Bool in a.0 == b.0 ? a.1 < b.1 : a.0 < b.0 }
        let normalized = sorted.map { "\($0.0)=\($0.1)" }.joined(separator: "&")
        let uri = "\(scheme)://\((request.value("host") ?? "").lowercased())\(request.rawPath)"
        let base = [request.method, PercentEncoding.encode(uri), PercentEncoding.encode(normalized)].joined(separator: "&")
        let signature = sign(Data(base.utf8)).base64EncodedString()
        let header = "OAuth realm=\"lgsp\", "
            + (protocolParameters + [("oauth_signature", signature)]).map { "\($0.0)=\"\(PercentEncoding.encode($0.1))\"" }.joined(separator: ", ")
        var signed = request
        signed.headers.append(("authorization", header))
        return signed
    }

    private func sign(_ message: Data) -> Data {
        switch key {
        case .secret(let secret):
            let key = SymmetricKey(data: Data((PercentEncoding.encode(secret) + "&").utf8))
            if method == "HMAC-SHA1" { return Data(HMAC<Insecure.SHA1>.authenticationCode(for: message, using: key)) }
            return Data(HMAC<SHA256>.authenticationCode(for: message, using: key))
        case .rsa(let key):
            if method == "RSA-SHA1" {
                return try! key.signature(for: Insecure.SHA1.hash(data: message), padding: .insecurePKCS1v1_5).rawRepresentation
            }
            return try! key.signature(for: SHA256.hash(data: message), padding: .insecurePKCS1v1_5).rawRepresentation
        }
    }

    /// `oauth_body_hash` of `body` with SHA-1, as oauthlib sends it.
    static func bodyHash(_ body: Data) -> String { Data(Insecure.SHA1.hash(data: body)).base64EncodedString() }
}
