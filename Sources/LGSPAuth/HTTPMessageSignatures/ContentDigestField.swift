import Crypto
import Foundation
import LGSPCore
import RawStructuredFieldValues

/// The `Content-Digest` field of RFC 9530: a dictionary of body digests by algorithm, each a byte
/// sequence (`sha-256=:…:, sha-512=:…:`). The hub checks `sha-256` and `sha-512` and, as RFC 9530
/// §2 asks, ignores algorithms it does not know.
struct ContentDigestField: Sendable {
    /// The supported digests the field carries, in order.
    var digests: [(algorithm: String, value: Data)]

    static let supported: [String: Int] = ["sha-256": 32, "sha-512": 64]

    /// Reads the field from its lines.
    ///
    /// - Throws: `auth.malformed_authorization` when it is not a dictionary of byte sequences, a digest
    ///   has the wrong length, or no member uses sha-256 or sha-512.
    static func parse(_ lines: [String]) throws(LGSPError) -> ContentDigestField {
        var parser = StructuredFieldValueParser(Array(lines.joined(separator: ", ").utf8))
        guard let dictionary = try? parser.parseDictionaryFieldValue() else {
            throw LGSPError(.malformedAuthorization, "Content-Digest is not an RFC 8941 dictionary; send e.g. sha-256=:<base64 of the body's SHA-256>:")
        }
        var digests: [(algorithm: String, value: Data)] = []
        for (algorithm, member) in dictionary {
            guard let length = supported[algorithm] else { continue }
            guard case .item(let item) = member, case .undecodedByteSequence(let base64) = item.rfc9651BareItem,
                let value = Data(base64Encoded: base64), value.count == length
            else {
                throw LGSPError(.malformedAuthorization, "Content-Digest \(algorithm) must be a byte sequence of \(length) bytes (:base64:)")
            }
            digests.append((algorithm, value))
        }
        guard !digests.isEmpty else {
            throw LGSPError(.malformedAuthorization, "Content-Digest has no sha-256 or sha-512 member, the algorithms this hub checks")
        }
        return ContentDigestField(digests: digests)
    }

    /// Checks the digests against what the route knows of the body.
    ///
    /// A body the route read must match every supported digest. For a content stream the body is not
    /// read here: a `sha-256` digest must be one the route accepts (the packet's declared content digest,
    /// or the empty body's) unless `partial` (a `Content-Range` part); the exchange checks the content
    /// itself when it completes.
    ///
    /// - Throws: `auth.payload_hash_mismatch` naming the digest sent and the one computed.
    func check(_ payload: PayloadPolicy, partial: Bool) throws(LGSPError) {
        switch payload {
        case .body(let sha256, let bytes):
            var checked = false
            for (algorithm, value) in digests {
                let actual: Data
                if algorithm == "sha-256" {
                    guard let hex = Data(hexString: sha256) else { continue }
                    actual = hex
                } else if let bytes {
                    actual = Data(SHA512.hash(data: bytes))
                } else {
                    continue
                }
                checked = true
                guard actual == value else {
                    throw LGSPError(.payloadHashMismatch, "Content-Digest \(algorithm)=:\(value.base64EncodedString()): does not match the body, whose \(algorithm) is :\(actual.base64EncodedString()):; the body was changed after signing or hashed wrongly",
                        details: ["sent": value.base64EncodedString(), "computed": actual.base64EncodedString(), "algorithm": algorithm])
                }
            }
            guard checked else {
                throw LGSPError(.payloadHashMismatch, "this route checks the body with sha-256; add sha-256=:…: to Content-Digest")
            }
        case .stream(let accepted):
            guard !partial, let sent = digests.first(where: { $0.algorithm == "sha-256" })?.value else { return }
            let hex = sent.map { String(format: "%02x", $0) }.joined()
            guard accepted.contains(hex) else {
                throw LGSPError(.payloadHashMismatch, "Content-Digest sha-256=:\(sent.base64EncodedString()): is not the packet's declared content digest; send the content's SHA-256 or leave Content-Digest out for streamed content",
                    details: ["sent": sent.base64EncodedString()])
            }
        }
    }
}

extension Data {
    /// Bytes from lowercase or uppercase hexadecimal text; nil when it is not hexadecimal.
    init?(hexString: String) {
        let digits = Array(hexString.utf8)
        guard digits.count % 2 == 0 else { return nil }
        var bytes = [UInt8]()
        bytes.reserveCapacity(digits.count / 2)
        var index = 0
        while index < digits.count {
            guard let high = Self.nibble(digits[index]), let low = Self.nibble(digits[index + 1]) else { return nil }
            bytes.append(high << 4 | low)
            index += 2
        }
        self.init(bytes)
    }

    private static func nibble(_ digit: UInt8) -> UInt8? {
        switch digit {
        case 0x30...0x39: digit - 0x30
        case 0x41...0x46: digit - 0x41 + 10
        case 0x61...0x66: digit - 0x61 + 10
        default: nil
        }
    }
}
