/// What the source declares about a packet's content before uploading it; the hub checks the upload against it.
public struct ContentDescriptor: Sendable, Hashable, Codable {
    /// Length in bytes.
    public var size: Int64
    /// SHA-256 of the bytes.
    public var sha256: ContentDigest
    /// The media type (`application/json`, `application/xml`, `application/pdf`, …).
    public var mediaType: String

    public init(size: Int64, sha256: ContentDigest, mediaType: String) {
        self.size = size
        self.sha256 = sha256
        self.mediaType = mediaType
    }
}
