/// A packet as its source, a destination or an administrator sees it.
public struct PacketView: Sendable, Hashable {
    public var packet: Packet
    public var deliveries: [Delivery]
    public var history: [DeliveryHistoryEntry]
    /// Bytes uploaded so far, for the source while the upload space is open.
    public var receivedBytes: Int64?
    /// Processing statuses reported by destinations (edXML status packets), oldest first.
    public var traces: [DeliveryTrace] = []
}

extension Exchange {
    /// One packet with a state per delivery and its full history. The source and administrators see
    /// every delivery; a destination sees only its own. Others get `auth.forbidden`.
    public func view(_ id: PacketID, by caller: Caller) async throws -> PacketView {
        let record = try await record(id)
        let packet = record.packet
        var deliveries = record.deliveries
        var history = try await packets.history(of: id)
        let isSource = packet.sourceAppID == caller.app.id
        if !isSource && !caller.isAdmin {
            deliveries = deliveries.filter { $0.appID == caller.app.id }
            guard !deliveries.isEmpty else {
                throw LGSPError(.forbidden, "app \(caller.app.accessKey) is neither the source nor a destination of packet \(id)")
            }
            history = history.filter { $0.appID == caller.app.id }
        }
        var received: Int64?
        if isSource && packet.state == .awaitingUpload, let key = try? contentKey(of: record) {
            received = try await blobs.length(of: id, key: key)
        }
        var traces = try await self.traces?.traces(of: id) ?? []
        if !isSource && !caller.isAdmin { traces = traces.filter { $0.appID == caller.app.id } }
        return PacketView(packet: packet, deliveries: deliveries, history: history, receivedBytes: received, traces: traces)
    }

    /// A page of the caller's history (`.sent` or `.received` for its own app; administrators may list all).
    public func list(_ query: PacketQuery, by caller: Caller) async throws -> [PacketSummary] {
        switch query.role {
        case .sent(let appID), .received(let appID):
            guard appID == caller.app.id || caller.isAdmin else {
                throw LGSPError(.forbidden, "an app may list only its own packets")
            }
        case .all:
            try caller.requireAdmin(for: "listing every packet")
        }
        var page = query
        page.limit = max(1, min(query.limit, 500))
        var summaries = try await packets.packets(page)
        if case .received(let appID) = query.role {
            for index in summaries.indices {
                summaries[index].deliveries = summaries[index].deliveries.filter { $0.appID == appID }
            }
        }
        return summaries
    }
}
