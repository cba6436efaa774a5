/// Where the hub sends a packet for one recipient (ARCHITECTURE.md: `local(unit)` or `upstream(peer)`).
public enum Route: Sendable, Hashable {
    /// A unit of this hub's directory: its apps receive here.
    case local(Unit)
    /// A unit another hub serves: the peer link hands the packet to that peer.
    case upstream(peer: String)
    /// Nobody serves the code: the source is told `exchange.unknown_recipient`.
    case unknown
}

/// What a hub is in the federation (`role:` in the federation file).
public enum HubRole: String, Sendable, Hashable, Codable, CaseIterable {
    /// A province's hub (LGSP): its directory holds the province's units; the rest goes upstream.
    case provincial
    /// The national platform (NGSP): it routes between provinces by code, usually with no units of its own.
    case national
}

/// The routing table of a hub: its role and, per peer, the codes the peer serves.
///
/// Resolution order for a code: a unit of the local directory (active, or replaced by one) is
/// `local`; otherwise the first peer with an explicit rule (`suffix:`/`prefix:`) naming the code;
/// otherwise the first peer marked `not-local`; otherwise `unknown`. Pure: the caller looks the code
/// up in its directory first.
public struct PeerRouter: Sendable, Hashable {
    /// One peer's routing rules.
    public struct Peer: Sendable, Hashable {
        public var name: String
        public var serves: [UnitServingRule]

        public init(name: String, serves: [UnitServingRule]) {
            self.name = name
            self.serves = serves
        }
    }

    public var role: HubRole
    public var peers: [Peer]

    public init(role: HubRole = .provincial, peers: [Peer] = []) {
        self.role = role
        self.peers = peers
    }

    /// Whether any peer is configured (a hub without peers routes everything locally, as before federation).
    public var isFederated: Bool { !peers.isEmpty }

    /// The peer that serves `code`, which the local directory does not hold; nil: nobody does.
    public func upstreamPeer(for code: UnitCode) -> String? {
        if let named = peers.first(where: { $0.serves.contains { $0.names(code) } }) { return named.name }
        return peers.first(where: { $0.serves.contains(.notLocal) })?.name
    }

    /// The route of `code`, given the unit the local directory holds for it (nil: none).
    public func route(for code: UnitCode, localUnit: Unit?) -> Route {
        if let localUnit { return .local(localUnit) }
        return upstreamPeer(for: code).map { .upstream(peer: $0) } ?? .unknown
    }
}
