import Crypto
import NIOCore

/// Wraps an upload body: counts bytes, refuses more than the declared size, and hashes what passes.
///
/// The running digest is kept only when the body starts at offset 0 (a resumed upload is hashed
/// afterwards by reading the stored content back).
struct VerifyingBody<Base: AsyncSequence & Sendable>: AsyncSequence, Sendable where Base.Element == ByteBuffer {
    typealias Element = ByteBuffer

    let base: Base
    let limit: Int64
    let meter: UploadMeter

    struct AsyncIterator: AsyncIteratorProtocol {
        var base: Base.AsyncIterator
        let limit: Int64
        let meter: UploadMeter

        mutating func next() async throws -> ByteBuffer? {
            guard let buffer = try await base.next() else { return nil }
            try meter.record(buffer, limit: limit)
            return buffer
        }
    }

    func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(base: base.makeAsyncIterator(), limit: limit, meter: meter)
    }
}

/// The byte count and running SHA-256 of an upload body. Used by one upload task at a time.
final class UploadMeter: @unchecked Sendable {
    private(set) var count: Int64 = 0
    private var hasher: SHA256?

    init(hashing: Bool) {
        hasher = hashing ? SHA256() : nil
    }

    func record(_ buffer: ByteBuffer, limit: Int64) throws(LGSPError) {
        let next = count + Int64(buffer.readableBytes)
        guard next <= limit else {
            throw LGSPError(.sizeMismatch, "the upload carries more bytes than the declared content.size allows (more than \(limit) bytes from this offset)")
        }
        count = next
        buffer.withUnsafeReadableBytes { hasher?.update(bufferPointer: $0) }
    }

    /// The digest of everything recorded, if hashing.
    func finalize() -> ContentDigest? {
        hasher.map { ContentDigest($0.finalize()) }
    }
}
