import Crypto
import Foundation

/// A SHA-256 digest of content, in lowercase hexadecimal (64 characters), the integrity check of a packet's content.
public struct ContentDigest: Hashable, Sendable, Codable, CustomStringConvertible {
    public let hex: String

    /// Accepts 64 hexadecimal characters in either case.
    ///
    /// - Throws: `exchange.invalid_digest` naming the field.
    public init(hex text: String, field: String = "content.sha256") throws(LGSPError) {
        let lower = text.lowercased()
        guard lower.utf8.count == 64, lower.utf8.allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x61 && $0 <= 0x66) })
        else {
            throw LGSPError(.invalidDigest, "'\(text)' is not a SHA-256 digest: expected 64 hexadecimal characters", field: field)
        }
        hex = lower
    }

    /// The digest computed by swift-crypto.
    public init(_ digest: SHA256.Digest) {
        hex = digest.map { byte in
            let text = String(byte, radix: 16)
            return byte < 16 ? "0" + text : text
        }.joined()
    }

    /// The digest of the given bytes.
    public static func of(_ bytes: some DataProtocol) -> ContentDigest {
        ContentDigest(SHA256.hash(data: bytes))
    }

    public var description: String { hex }

    public init(from decoder: any Decoder) throws {
        self = try ContentDigest(hex: try decoder.singleValueContainer().decode(String.self))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(hex)
    }
}
