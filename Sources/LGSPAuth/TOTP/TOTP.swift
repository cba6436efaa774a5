import Crypto
import Foundation

/// Time-based one-time passwords (RFC 6238 over RFC 4226 HOTP): HMAC-SHA-1, 6 digits, 30-second
/// steps, accepting the previous and next step for clock drift. Written here rather than taken from a
/// package because it is a dozen lines and no TOTP package is available; `TOTPTests` checks it
/// against the RFC's test vectors.
public enum TOTP {
    public static let step: TimeInterval = 30
    public static let digits = 6

    /// A new secret: 20 random bytes as unpadded base32 (what authenticator apps read).
    public static func newSecret() -> String {
        var generator = SystemRandomNumberGenerator()
        return Base32.encode((0..<20).map { _ in UInt8.random(in: 0...255, using: &generator) })
    }

    /// The code for `key` at `date` (`digits` digits, zero-padded).
    public static func code(key: [UInt8], at date: Date, digits: Int = digits) -> String {
        let counter = UInt64(floor(date.timeIntervalSince1970 / step))
        return hotp(key: key, counter: counter, digits: digits)
    }

    /// RFC 4226 §5.3: dynamic truncation of HMAC-SHA-1(key, counter).
    public static func hotp(key: [UInt8], counter: UInt64, digits: Int = digits) -> String {
        let message = withUnsafeBytes(of: counter.bigEndian) { Array($0) }
        let mac = Array(HMAC<Crypto.Insecure.SHA1>.authenticationCode(for: message, using: SymmetricKey(data: key)))
        let offset = Int(mac[mac.count - 1] & 0x0f)
        let binary = (UInt32(mac[offset] & 0x7f) << 24) | (UInt32(mac[offset + 1]) << 16) | (UInt32(mac[offset + 2]) << 8)
            | UInt32(mac[offset + 3])
        var modulus: UInt32 = 1
        for _ in 0..<digits { modulus *= 10 }
        let text = String(binary % modulus)
        return String(repeating: "0", count: digits - text.count) + text
    }

    /// Whether `code` is valid for the base32 `secret` at `date`, one step either side (RFC 6238 §5.2).
    public static func verify(_ code: String, secret: String, at date: Date) -> Bool {
        let typed = code.filter { !$0.isWhitespace }
        guard typed.count == digits, let key = Base32.decode(secret) else { return false }
        var matched = false
        for drift in [-1.0, 0, 1] {
            // Compare every candidate in constant time and without stopping early.
            let expected = Array(self.code(key: key, at: date.addingTimeInterval(drift * step)).utf8)
            let given = Array(typed.utf8)
            matched = zip(expected, given).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0 || matched
        }
        return matched
    }
}

/// RFC 4648 base32 (uppercase alphabet, padding optional on input, omitted on output).
public enum Base32 {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".utf8)

    public static func encode(_ bytes: [UInt8]) -> String {
        var output = [UInt8]()
        var buffer = 0
        var bits = 0
        for byte in bytes {
            buffer = (buffer << 8) | Int(byte)
            bits += 8
            while bits >= 5 {
                output.append(alphabet[(buffer >> (bits - 5)) & 31])
                bits -= 5
            }
        }
        if bits > 0 { output.append(alphabet[(buffer << (5 - bits)) & 31]) }
        return String(decoding: output, as: UTF8.self)
    }

    /// The bytes of `text` (case-insensitive, spaces and `=` ignored), or nil if a character is not base32.
    public static func decode(_ text: String) -> [UInt8]? {
        var output = [UInt8]()
        var buffer = 0
        var bits = 0
        for character in text.uppercased().utf8 where character != UInt8(ascii: "=") && character != UInt8(ascii: " ") {
            guard let value = alphabet.firstIndex(of: character) else { return nil }
            buffer = ((buffer << 5) | value) & 0xFFFF
            bits += 5
            if bits >= 8 {
                output.append(UInt8((buffer >> (bits - 8)) & 0xff))
                bits -= 8
            }
        }
        return output
    }
}
