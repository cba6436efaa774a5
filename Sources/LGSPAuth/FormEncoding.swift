import Foundation

/// `application/x-www-form-urlencoded` as the WHATWG URL standard defines it: the query-string
/// reading that RFC 9421 `@query-param` and RFC 5849 parameter collection both rely on.
public enum FormEncoding {
    private static let hex = Array("0123456789ABCDEF".utf8)

    /// Name/value pairs of a form-encoded string, decoded (`+` is a space, `%XY` a byte), in order.
    /// A pair without `=` has an empty value; empty pairs are skipped.
    public static func pairs(_ text: some StringProtocol) -> [(name: String, value: String)] {
        text.split(separator: "&", omittingEmptySubsequences: true).map { pair in
            if let equals = pair.firstIndex(of: "=") {
                return (decode(pair[..<equals]), decode(pair[pair.index(after: equals)...]))
            }
            return (decode(pair), "")
        }
    }

    /// Decodes `+` as a space, then `%XY` escapes.
    public static func decode(_ text: some StringProtocol) -> String {
        PercentEncoding.decode(text.replacingOccurrences(of: "+", with: " "))
    }

    /// Percent-encodes every byte outside `A-Z a-z 0-9 * - . _` (the WHATWG
    /// application/x-www-form-urlencoded set), spaces as `%20`: the re-encoding of RFC 9421 §2.2.8.
    public static func encode(_ text: some StringProtocol) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count)
        for byte in text.utf8 {
            if (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x30 && byte <= 0x39)
                || byte == 0x2A || byte == 0x2D || byte == 0x2E || byte == 0x5F
            {
                out.append(byte)
            } else {
                out.append(0x25)
                out.append(hex[Int(byte >> 4)])
                out.append(hex[Int(byte & 0x0F)])
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
