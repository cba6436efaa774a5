import Crypto
import Foundation
import LGSPCore
import _CryptoExtras

/// Slow salted password hashes for officials' SSO passwords: scrypt (RFC 7914) from swift-crypto,
/// stored in a self-describing form `scrypt$ln=15,r=8,p=1$<salt, base64>$<hash, base64>`, so that
/// raising the cost later keeps existing hashes verifiable.
public struct PasswordHasher: Sendable {
    /// log2 of scrypt's N (CPU/memory cost): 15 by default (32 MiB with r = 8, OWASP's floor is 2^17
    /// with r = 8 and p = 1 or 2^15 with more passes; 15 keeps a login well under a second on 2 cores).
    public var logN: Int
    public var blockSize = 8
    public var parallelism = 1

    public init(logN: Int = 15) { self.logN = max(10, min(logN, 20)) }

    /// Hashes `password` with a new random 16-byte salt.
    public func hash(_ password: String) throws -> String {
        var salt = [UInt8](repeating: 0, count: 16)
        var generator = SystemRandomNumberGenerator()
        for index in salt.indices { salt[index] = UInt8.random(in: 0...255, using: &generator) }
        let derived = try Self.derive(password, salt: salt, logN: logN, r: blockSize, p: parallelism)
        return "scrypt$ln=\(logN),r=\(blockSize),p=\(parallelism)$\(Data(salt).base64EncodedString())$\(derived.base64EncodedString())"
    }

    /// Whether `password` matches `stored` (any cost the format describes); false for unreadable hashes.
    public static func verify(_ password: String, against stored: String) -> Bool {
        let parts = stored.split(separator: "$", omittingEmptySubsequences: false)
        guard parts.count == 4, parts[0] == "scrypt", let salt = Data(base64Encoded: String(parts[2])),
            let expected = Data(base64Encoded: String(parts[3]))
        else { return false }
        var parameters: [String: Int] = [:]
        for pair in parts[1].split(separator: ",") {
            let kv = pair.split(separator: "=")
            if kv.count == 2, let value = Int(kv[1]) { parameters[String(kv[0])] = value }
        }
        guard let logN = parameters["ln"], (10...20).contains(logN), let r = parameters["r"], (1...32).contains(r),
            let p = parameters["p"], (1...16).contains(p),
            let derived = try? derive(password, salt: [UInt8](salt), logN: logN, r: r, p: p)
        else { return false }
        // Compare in constant time: the hash must not leak through timing.
        return ConstantTime.equal(derived, expected)
    }

    private static func derive(_ password: String, salt: [UInt8], logN: Int, r: Int, p: Int) throws -> Data {
        let key = try KDF.Scrypt.deriveKey(
            from: Array(password.utf8), salt: salt, outputByteCount: 32, rounds: 1 << logN, blockSize: r, parallelism: p)
        return key.withUnsafeBytes { Data($0) }
    }
}
