import Foundation

/// Makes new credentials: access keys (`LGSP` + 16 base32 characters) and secret keys (40 URL-safe characters).
public enum CredentialGenerator {
    private static let base32 = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")

    /// A new access key such as `LGSPQ4XK2M7TW3JD5HAB`.
    public static func accessKey() -> String {
        var generator = SystemRandomNumberGenerator()
        return "LGSP" + String((0..<16).map { _ in base32[Int(generator.next(upperBound: UInt32(32)))] })
    }

    /// A new secret key: 240 random bits as 40 base64url characters (no padding, shell-safe).
    public static func secretKey() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<30).map { _ in UInt8.random(in: 0...255, using: &generator) }
        return Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
    }

    /// A new opaque identifier for rows (apps, secrets, grants).
    public static func identifier() -> String { UUID().uuidString.lowercased() }
}
