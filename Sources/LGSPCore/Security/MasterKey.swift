import Crypto

import Foundation

/// The hub's key-encryption key: seals app secrets and per-packet content keys at rest (AES-256-GCM).
///
/// Each sealed value is bound to a context string (e.g. `secret:<id>`, `content-key:<packet>`), so a
/// sealed value copied to another row does not open. The key itself comes from configuration or
/// from a file the hub generates in its data folder; it is never logged.
public struct MasterKey: Sendable, CustomStringConvertible {
    private let key: SymmetricKey

    /// A key from 32 raw bytes.
    ///
    /// - Throws: `LGSPError(.invalidField)` if the length is wrong.
    public init(bytes: some ContiguousBytes) throws(LGSPError) {
        let key = SymmetricKey(data: bytes)
        guard key.bitCount == 256 else {
            throw LGSPError(.invalidField, "the master key must be 32 bytes (256 bits), got \(key.bitCount / 8)", field: "masterKey")
        }
        self.key = key
    }

    /// A key from its base64 text (as kept in configuration or in `master.key`).
    public init(base64 text: String) throws(LGSPError) {
        guard let data = Data(base64Encoded: text.trimmingASCIIWhitespace()) else {
            throw LGSPError(.invalidField, "the master key is not valid base64", field: "masterKey")
        }
        try self.init(bytes: data)
    }

    /// A fresh random key.
    public static func generate() -> MasterKey {
        // swiftlint:disable:next force_try
        try! MasterKey(bytes: SymmetricKey(size: .bits256).withUnsafeBytes { Data($0) })
    }

    /// The key as base64, for writing it to its file once.
    public var base64: String { key.withUnsafeBytes { Data($0).base64EncodedString() } }

    /// Seals `plaintext` bound to `context`; the result is nonce ‖ ciphertext ‖ tag.
    public func seal(_ plaintext: some DataProtocol, context: String) -> Data {
        // AES-GCM with a random 96-bit nonce cannot fail for inputs of this size.
        let box = try! AES.GCM.seal(plaintext, using: key, authenticating: Data(context.utf8))
        return box.combined!
    }

    /// Opens a value sealed with `seal(_:context:)` under the same context.
    ///
    /// - Throws: `server.storage_failure` if the value was altered, sealed under another key or context.
    public func open(_ sealed: some DataProtocol, context: String) throws(LGSPError) -> Data {
        do {
            let box = try AES.GCM.SealedBox(combined: sealed)
            return try AES.GCM.open(box, using: key, authenticating: Data(context.utf8))
        } catch {
            throw LGSPError(.storageFailure, "a sealed value (\(context.split(separator: ":").first ?? "")) does not open with the master key: wrong key or altered data")
        }
    }

    public var description: String { "MasterKey(<redacted>)" }
}
