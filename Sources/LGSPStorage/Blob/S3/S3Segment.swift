import LGSPCore

/// One object holding part of a packet's content in the S3 blob store: `<prefix><packet id>/<start>`,
/// where `start` (20 decimal digits) is the plaintext offset of its first byte, always a multiple of
/// `ChunkCipher.plainChunkSize`. Its bytes are `ChunkCipher` chunks numbered from `start / plainChunkSize`.
///
/// Objects cannot be appended to, so each append writes a new segment; an append that continues a
/// partial last chunk re-seals that chunk at the head of its segment, which therefore starts at the
/// chunk's offset and supersedes, from there on, any earlier segment (or replaces it outright when both
/// start at the same offset). The segment with the greatest start ends the content.
struct S3Segment: Sendable, Hashable {
    var key: String
    var start: Int64
    /// Sealed (stored) bytes.
    var size: Int64

    static let digits = 20

    /// The key of the segment of `id` starting at `start`.
    static func key(prefix: String, id: PacketID, start: Int64) -> String {
        let number = String(start)
        return folder(prefix: prefix, id: id) + String(repeating: "0", count: max(0, digits - number.count)) + number
    }

    /// The key prefix of every segment of `id`.
    static func folder(prefix: String, id: PacketID) -> String { prefix + id.rawValue + "/" }

    /// A listed object, if its key is a segment key under `folder`.
    init?(key: String, size: Int64, folder: String) {
        guard key.hasPrefix(folder) else { return nil }
        let name = key.dropFirst(folder.count)
        guard name.count == Self.digits, let start = Int64(name), start % Int64(ChunkCipher.plainChunkSize) == 0, size >= 0 else { return nil }
        self.key = key
        self.start = start
        self.size = size
    }

    /// Index of the segment's first chunk.
    var firstChunk: Int64 { start / Int64(ChunkCipher.plainChunkSize) }

    /// How many chunks (whole, or a partial last one) the segment holds.
    var chunkCount: Int64 {
        let (full, tail) = ChunkCipher.layout(sealedLength: size)
        return full + (tail > Int64(ChunkCipher.overhead) ? 1 : 0)
    }

    /// Plaintext bytes the segment holds (a tail too short to hold a chunk does not count).
    var plainLength: Int64 {
        let (full, tail) = ChunkCipher.layout(sealedLength: size)
        return full * Int64(ChunkCipher.plainChunkSize) + max(0, tail - Int64(ChunkCipher.overhead))
    }

    /// Plaintext offset just past the segment's last byte.
    var end: Int64 { start + plainLength }

    /// The segment that holds chunk `index`: the one with the greatest start at or before it.
    static func holding(chunk index: Int64, in segments: [S3Segment]) -> (segment: S3Segment, next: S3Segment?)? {
        guard let position = segments.lastIndex(where: { $0.firstChunk <= index }) else { return nil }
        return (segments[position], position + 1 < segments.count ? segments[position + 1] : nil)
    }
}
