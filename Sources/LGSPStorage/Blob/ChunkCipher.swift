import Crypto
import Foundation
import LGSPCore
import NIOCore

/// The on-disk format of packet content: fixed-size plaintext chunks, each sealed on its own with
/// AES-256-GCM under the packet's key, so that any byte range can be read and resumed uploads can
/// append without rewriting earlier chunks.
///
/// A sealed chunk is `nonce (12) ‖ ciphertext ‖ tag (16)`; the associated data binds it to its packet
/// and position, so chunks cannot be swapped or moved. Nonces are random (a rewritten tail chunk
/// never reuses one). Only the last chunk of a file may be shorter than `plainChunkSize`.
struct ChunkCipher {
    static let plainChunkSize = 64 * 1024
    static let overhead = 12 + 16
    static let sealedChunkSize = plainChunkSize + overhead

    let key: SymmetricKey
    let packet: PacketID

    func seal(_ plaintext: ByteBuffer, index: Int64) throws -> ByteBuffer {
        let box = try plaintext.withUnsafeReadableBytes { bytes in
            try AES.GCM.seal(bytes, using: key, authenticating: associatedData(index))
        }
        var out = ByteBuffer()
        out.reserveCapacity(plaintext.readableBytes + Self.overhead)
        box.nonce.withUnsafeBytes { _ = out.writeBytes($0) }
        out.writeBytes(box.ciphertext)
        out.writeBytes(box.tag)
        return out
    }

    func open(_ sealed: ByteBuffer, index: Int64) throws(LGSPError) -> ByteBuffer {
        do {
            return try sealed.withUnsafeReadableBytes { bytes in
                guard bytes.count >= Self.overhead else { throw CryptoKitError.incorrectParameterSize }
                let box = try AES.GCM.SealedBox(
                    nonce: AES.GCM.Nonce(data: bytes[0..<12]), ciphertext: bytes[12..<(bytes.count - 16)],
                    tag: bytes[(bytes.count - 16)...])
                let plain = try AES.GCM.open(box, using: key, authenticating: associatedData(index))
                return ByteBuffer(bytes: plain)
            }
        } catch {
            throw LGSPError(.storageFailure, "stored content of packet \(packet) failed its integrity check at chunk \(index); it was altered or truncated on disk")
        }
    }

    private func associatedData(_ index: Int64) -> Data {
        var data = Data(packet.rawValue.utf8)
        withUnsafeBytes(of: index.bigEndian) { data.append(contentsOf: $0) }
        return data
    }

    /// Plaintext length for a file of `sealedLength` bytes whose last chunk (if partial) has `lastPlain` bytes.
    static func layout(sealedLength: Int64) -> (fullChunks: Int64, tailSealed: Int64) {
        (sealedLength / Int64(sealedChunkSize), sealedLength % Int64(sealedChunkSize))
    }
}
