import Crypto
import Foundation
import LGSPCore
import NIOCore
import Synchronization

/// A large body made on the fly (never whole in memory): 64 KiB blocks, block `b` being SHA-256(`b`)
/// repeated. It counts what it produced and can run a check once `checkpoint` bytes were read.
final class GeneratedBody: AsyncSequence, Sendable {
    typealias Element = ByteBuffer
    let size: Int
    /// Position of the first byte in the generated stream (to continue a content).
    let offset: Int
    let checkpoint: Int?
    let check: (@Sendable () async throws -> Void)?
    private let produced = Atomic<Int>(0)

    static let blockSize = 64 * 1024

    init(size: Int, offset: Int = 0, checkpoint: Int? = nil, check: (@Sendable () async throws -> Void)? = nil) {
        self.size = size
        self.offset = offset
        self.checkpoint = checkpoint
        self.check = check
    }

    var producedBytes: Int { produced.load(ordering: .relaxed) }

    static func block(_ index: Int) -> [UInt8] {
        let seed = Array(SHA256.hash(data: withUnsafeBytes(of: Int64(index).bigEndian) { Data($0) }))
        return Array([[UInt8]](repeating: seed, count: blockSize / seed.count).joined())
    }

    /// The bytes at `range` of a stream of `size` bytes.
    static func bytes(size: Int, range: Range<Int64>) -> Data {
        var out = Data(capacity: range.count)
        var position = Int(range.lowerBound)
        while position < Int(range.upperBound) {
            let block = block(position / blockSize)
            let from = position % blockSize
            let to = Swift.min(blockSize, from + Int(range.upperBound) - position)
            out.append(contentsOf: block[from..<to])
            position += to - from
        }
        return out
    }

    /// SHA-256 of the first `size` bytes of the stream.
    static func digest(size: Int) -> ContentDigest {
        var hasher = SHA256()
        var position = 0
        while position < size {
            let count = Swift.min(blockSize, size - position)
            hasher.update(data: block(position / blockSize)[0..<count])
            position += count
        }
        return ContentDigest(hasher.finalize())
    }

    struct AsyncIterator: AsyncIteratorProtocol {
        let body: GeneratedBody
        var position = 0
        var checked = false

        mutating func next() async throws -> ByteBuffer? {
            guard position < body.size else { return nil }
            if let checkpoint = body.checkpoint, !checked, position >= checkpoint {
                checked = true
                try await body.check?()
            }
            let absolute = body.offset + position
            let from = absolute % GeneratedBody.blockSize
            let count = Swift.min(GeneratedBody.blockSize - from, body.size - position)
            let block = GeneratedBody.block(absolute / GeneratedBody.blockSize)
            position += count
            body.produced.add(count, ordering: .relaxed)
            return ByteBuffer(bytes: block[from..<(from + count)])
        }
    }

    func makeAsyncIterator() -> AsyncIterator { AsyncIterator(body: self) }
}

/// A value a check running elsewhere reports back.
final class Counter: Sendable {
    private let stored = Mutex(0)
    var value: Int {
        get { stored.withLock { $0 } }
        set { stored.withLock { $0 = newValue } }
    }
}
