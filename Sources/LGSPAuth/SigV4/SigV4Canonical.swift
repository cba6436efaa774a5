import Crypto
import Foundation

/// The pieces of AWS Signature Version 4 (`AWS4-HMAC-SHA256`) as AWS publishes them: canonical
/// request, string to sign, signing key. Pure functions, checked against AWS's test vectors.
public enum SigV4Canonical {
    public static let algorithm = "AWS4-HMAC-SHA256"
    /// The payload hash of an empty body.
    public static let emptyPayloadHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    /// The payload hash value that leaves the body unsigned (content streams only).
    public static let unsignedPayload = "UNSIGNED-PAYLOAD"

    /// The canonical URI of a raw (percent-encoded) path for services other than S3: dot segments
    /// resolved, repeated slashes collapsed, then every segment percent-encoded once more (AWS
    /// "double-encodes" paths for these services). With `doubleEncode` false the segments are
    /// normalised to single encoding instead (what S3-style signers send).
    public static func canonicalURI(rawPath: String, doubleEncode: Bool = true) -> String {
        var segments: [String] = []
        for raw in rawPath.split(separator: "/", omittingEmptySubsequences: true) {
            let decoded = PercentEncoding.decode(raw)
            if decoded == "." { continue }
            if decoded == ".." {
                _ = segments.popLast()
                continue
            }
            let once = PercentEncoding.encode(decoded)
            segments.append(doubleEncode ? PercentEncoding.encode(once) : once)
        }
        var path = "/" + segments.joined(separator: "/")
        if rawPath.hasSuffix("/") && !segments.isEmpty { path += "/" }
        return path
    }

    /// The canonical query: decoded names and values re-encoded, sorted by name then value (bytewise),
    /// `X-Amz-Signature` left out (it cannot sign itself).
    public static func canonicalQuery(_ items: [(name: String, value: String)]) -> String {
        items.filter { $0.name != "X-Amz-Signature" }
            .map { (PercentEncoding.encode($0.name), PercentEncoding.encode($0.value)) }
            .sorted { lhs, rhs in
                lhs.0 == rhs.0 ? Array(lhs.1.utf8).lexicographicallyPrecedes(rhs.1.utf8) : Array(lhs.0.utf8).lexicographicallyPrecedes(rhs.0.utf8)
            }
            .map { "\($0.0)=\($0.1)" }
            .joined(separator: "&")
    }

    /// Canonical headers for the signed header names: `name:value\n` per header, values trimmed with
    /// inner runs of spaces collapsed, repeated headers joined by commas. Returns nil and the first
    /// missing name if a signed header is absent.
    public static func canonicalHeaders(
        _ request: SignableRequest, signed: [String]
    ) -> (text: String, missing: String?) {
        var lines = ""
        for name in signed {
            let values = request.values(name)
            guard !values.isEmpty else { return ("", name) }
            lines += name + ":" + values.map(trimHeaderValue).joined(separator: ",") + "\n"
        }
        return (lines, nil)
    }

    /// Trims a header value and collapses inner runs of spaces and tabs to one space (AWS's rule).
    static func trimHeaderValue(_ value: String) -> String {
        let bytes = value.utf8
        guard bytes.contains(where: { $0 == 0x20 || $0 == 0x09 }) else { return value }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var pendingSpace = false
        for byte in bytes {
            if byte == 0x20 || byte == 0x09 {
                pendingSpace = !out.isEmpty
            } else {
                if pendingSpace { out.append(0x20) }
                pendingSpace = false
                out.append(byte)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The canonical request text (AWS: method, URI, query, headers, signed headers, payload hash).
    public static func canonicalRequest(
        method: String, uri: String, query: String, headers: String, signedHeaders: [String], payloadHash: String
    ) -> String {
        [method, uri, query, headers, signedHeaders.joined(separator: ";"), payloadHash].joined(separator: "\n")
    }

    /// The string to sign for a canonical request.
    public static func stringToSign(amzDate: String, scope: String, canonicalRequest: String) -> String {
        let digest = SHA256.hash(data: Data(canonicalRequest.utf8))
        return [algorithm, amzDate, scope, hex(digest)].joined(separator: "\n")
    }

    /// The derived signing key: HMAC chain over date, region, service and `aws4_request`.
    public static func signingKey(secret: String, date: String, region: String, service: String) -> SymmetricKey {
        var key = SymmetricKey(data: Data(("AWS4" + secret).utf8))
        for part in [date, region, service, "aws4_request"] {
            key = SymmetricKey(data: Data(HMAC<SHA256>.authenticationCode(for: Data(part.utf8), using: key)))
        }
        return key
    }

    /// The hex signature of a string to sign.
    public static func signature(stringToSign: String, key: SymmetricKey) -> String {
        hex(HMAC<SHA256>.authenticationCode(for: Data(stringToSign.utf8), using: key))
    }

    /// Lowercase hex of bytes.
    public static func hex(_ bytes: some Sequence<UInt8>) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The hex SHA-256 of a body.
    public static func payloadHash(_ body: some DataProtocol) -> String {
        hex(SHA256.hash(data: body))
    }
}
