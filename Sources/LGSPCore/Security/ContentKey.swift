import Crypto

import Foundation

/// The per-packet key that encrypts a packet's content at rest. It is stored sealed with the master
/// key and destroyed with the content when the packet is purged, so leftover ciphertext is unreadable.
public struct ContentKey: Sendable, CustomStringConvertible {
    public let key: SymmetricKey

    public init(_ key: SymmetricKey) { self.key = key }

    /// A fresh random 256-bit key.
    public static func generate() -> ContentKey { ContentKey(SymmetricKey(size: .bits256)) }

    /// The key sealed with the master key for storage beside the packet.
    public func sealed(with master: MasterKey, packet: PacketID) -> Data {
        key.withUnsafeBytes { master.seal(Data($0), context: "content-key:\(packet.rawValue)") }
    }

    /// Opens a stored sealed key.
    public static func open(_ sealed: Data, with master: MasterKey, packet: PacketID) throws(LGSPError) -> ContentKey {
        ContentKey(SymmetricKey(data: try master.open(sealed, context: "content-key:\(packet.rawValue)")))
    }

    public var description: String { "ContentKey(<redacted>)" }
}
