/// The bounds a guarded XML parse enforces, so that a hostile document is refused quickly and in
/// bounded memory.
///
/// Breaking any of them is `transform.limit_exceeded` with `details.limit` naming the limit. The
/// defaults fit edXML envelopes with base64 attachments in element text (QCVN 102:2016).
public struct XMLParseLimits: Sendable, Hashable {
    /// Largest document accepted, in bytes (default 64 MiB).
    public var maxBytes: Int
    /// Deepest element nesting (default 64; edXML needs about 10).
    public var maxDepth: Int
    /// Most elements in one document (default 1,000,000).
    public var maxElements: Int
    /// Most attributes plus namespace declarations on one element (default 256).
    public var maxAttributes: Int
    /// Longest attribute value in bytes (default 64 KiB).
    public var maxAttributeLength: Int

    /// Limits with the given values (each defaults to the value documented above).
    public init(
        maxBytes: Int = 64 << 20, maxDepth: Int = 64, maxElements: Int = 1_000_000, maxAttributes: Int = 256,
        maxAttributeLength: Int = 64 << 10
    ) {
        self.maxBytes = maxBytes
        self.maxDepth = maxDepth
        self.maxElements = maxElements
        self.maxAttributes = maxAttributes
        self.maxAttributeLength = maxAttributeLength
    }

    /// The defaults.
    public static let standard = XMLParseLimits()
}
