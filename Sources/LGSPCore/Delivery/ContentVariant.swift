/// The converted content a delivery offers instead of the packet's own (Article 8.4: the hub
/// converts the data into the form the destination accepts).
///
/// It is stored in the `BlobStore` under its own `blob` id, encrypted with the packet's content
/// key, and deleted with the packet's content on purge. The packet's original content is never
/// replaced.
public struct ContentVariant: Sendable, Hashable, Codable {
    /// The format the content was converted to.
    public var format: ContentFormat
    /// Size, SHA-256 and media type of the converted bytes: what the destination downloads and acknowledges.
    public var content: ContentDescriptor
    /// The id the converted bytes are stored under in the `BlobStore` (never a packet's id).
    public var blob: PacketID

    public init(format: ContentFormat, content: ContentDescriptor, blob: PacketID) {
        self.format = format
        self.content = content
        self.blob = blob
    }
}

extension Delivery {
    /// What this delivery serves: its converted variant, or the packet's content as sent.
    public func content(of packet: Packet) -> ContentDescriptor { variant?.content ?? packet.content }

    /// Where the bytes this delivery serves are stored.
    public func blob(of packet: Packet) -> PacketID { variant?.blob ?? packet.id }
}
