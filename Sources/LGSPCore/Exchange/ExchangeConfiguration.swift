import Foundation

/// Settings of the exchange use cases. Built by the server from configuration (`exchange.*` keys).
public struct ExchangeConfiguration: Sendable, Hashable {
    /// This hub's name, recorded as the origin of packets sent here.
    ///   - `hub.name` (string, default: `lgsp`)
    public var hubName: String
    /// Largest content accepted, in bytes.
    ///   - `limits.maxContentBytes` (int, default: 4 GiB)
    public var maxContentSize: Int64
    /// Largest content accepted inline in the one-request send form.
    ///   - `limits.maxInlineContentBytes` (int, default: 4 MiB)
    public var maxInlineContentSize: Int64
    /// Most recipients in one packet.
    ///   - `limits.maxRecipients` (int, default: 1000)
    public var maxRecipients: Int
    /// Longest subject, in characters.
    ///   - `limits.maxSubjectLength` (int, default: 1000)
    public var maxSubjectLength: Int
    /// How long an upload space stays open.
    ///   - `exchange.uploadWindowSeconds` (int, default: 86400)
    public var uploadWindow: TimeInterval
    /// How long a download space stays open after accepting (accept again to renew).
    ///   - `exchange.downloadWindowSeconds` (int, default: 86400)
    public var downloadWindow: TimeInterval
    /// Whether content is flushed to disk (fsync) before an upload is confirmed.
    ///   - `storage.syncContent` (bool, default: true)
    public var syncContent: Bool
    /// How long a destination app may stay offline with deliveries waiting before the source is told
    /// (`delivery.undeliverable`, Article 5.9); an app's own limit overrides it; 0: never.
    ///   - `exchange.offlineLimitSeconds` (int, default: 259200, three days)
    public var offlineLimit: TimeInterval
    /// Largest content the hub converts for a destination (conversion reads it into memory); a
    /// larger packet's converted deliveries end `transform_failed` with `transform.limit_exceeded`.
    ///   - `transform.maxContentBytes` (int, default: 16 MiB)
    public var maxTransformSize: Int64 = 16 << 20
    /// Where recipients the local directory does not hold go (federation peers, see `PeerRouter`);
    /// with no peers every recipient must be local.
    ///   - the federation file (`federation.file`): `role` and `peers[].serves`
    public var router = PeerRouter()

    public init(
        hubName: String = "lgsp", maxContentSize: Int64 = 4 << 30, maxInlineContentSize: Int64 = 4 << 20,
        maxRecipients: Int = 1000, maxSubjectLength: Int = 1000, uploadWindow: TimeInterval = 86400,
        downloadWindow: TimeInterval = 86400, syncContent: Bool = true, offlineLimit: TimeInterval = 259_200
    ) {
        self.offlineLimit = offlineLimit
        self.hubName = hubName
        self.maxContentSize = maxContentSize
        self.maxInlineContentSize = maxInlineContentSize
        self.maxRecipients = maxRecipients
        self.maxSubjectLength = maxSubjectLength
        self.uploadWindow = uploadWindow
        self.downloadWindow = downloadWindow
        self.syncContent = syncContent
    }
}
