import Crypto
import Foundation
import LGSPCore

/// Seals console cookies with the hub's master key (AES-GCM, bound to a context): opaque to the
/// browser, and any change makes them unreadable, so a cookie is its own signature. Every node of a
/// cluster shares the master key, so any node reads a cookie another node set.
struct ConsoleSeal: Sendable {
    let key: MasterKey

    func seal(_ value: some Encodable, context: String) -> String {
        let data = (try? JSONEncoder().encode(value)) ?? Data()
        return Self.base64url(key.seal(data, context: "console:\(context)"))
    }

    /// The value, or nil when the cookie is malformed, altered or sealed for another context.
    func open<T: Decodable>(_ type: T.Type, _ text: String?, context: String) -> T? {
        guard let text, text.count < 8192, let sealed = Self.data(base64url: text),
            let data = try? key.open(sealed, context: "console:\(context)")
        else { return nil }
        return try? JSONDecoder().decode(type, from: data)
    }

    /// 256 random bits, base64url without padding.
    static func randomToken() -> String {
        var generator = SystemRandomNumberGenerator()
        return base64url(Data((0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }))
    }

    /// RFC 7636 §4.2: the S256 challenge of a verifier.
    static func challenge(of verifier: String) -> String {
        base64url(Data(SHA256.hash(data: Data(verifier.utf8))))
    }

    static func base64url(_ data: Data) -> String {
        data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    static func data(base64url text: String) -> Data? {
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base64.count % 4 != 0 { base64 += "=" }
        return Data(base64Encoded: base64)
    }
}
