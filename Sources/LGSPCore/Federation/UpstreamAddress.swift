/// The destination of a delivery that a peer link carries to another hub instead of a local app.
///
/// Such a delivery's `appID` is `peer:<peer>/<recipient code>`: one delivery per remote recipient,
/// the peer link being its "app" (no directory app has an id of this form: directory ids are generated
/// identifiers without `:`).
public struct UpstreamAddress: Sendable, Hashable {
    public var peer: String
    public var recipient: UnitCode

    public init(peer: String, recipient: UnitCode) {
        self.peer = peer
        self.recipient = recipient
    }

    static let prefix = "peer:"

    /// The delivery's `appID`.
    public var appID: String { Self.prefix + peer + "/" + recipient.rawValue }

    /// The address a delivery's `appID` encodes, nil for a local app's delivery.
    public init?(appID: String) {
        guard appID.hasPrefix(Self.prefix), let slash = appID.lastIndex(of: "/") else { return nil }
        let peer = String(appID[appID.index(appID.startIndex, offsetBy: Self.prefix.count)..<slash])
        guard !peer.isEmpty, let code = UnitCode(lenient: String(appID[appID.index(after: slash)...])) else { return nil }
        self.init(peer: peer, recipient: code)
    }

    /// The `appID` prefix shared by every delivery a peer carries (for queue queries).
    public static func appIDPrefix(peer: String) -> String { prefix + peer + "/" }
}

extension Delivery {
    /// Where a peer link carries this delivery; nil when a local app receives it.
    public var upstream: UpstreamAddress? { UpstreamAddress(appID: appID) }
}
