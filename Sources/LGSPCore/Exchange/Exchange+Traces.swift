import Foundation

/// What a destination reports about a delivered document (an edXML status packet).
public struct TraceReport: Sendable, Hashable {
    public var status: DeliveryTrace.Status
    public var description: String?
    public var staff: String?
    public var reportedAt: Date?

    public init(status: DeliveryTrace.Status, description: String? = nil, staff: String? = nil, reportedAt: Date? = nil) {
        self.status = status
        self.description = description
        self.staff = staff
        self.reportedAt = reportedAt
    }
}

extension Exchange {
    /// Article 8 step 5: a destination reports what became of a packet (edXML statuses 01…06, 13/15/16);
    /// the hub records the trace, tells the source (`packet.trace`), and moves the delivery where the
    /// status maps to its lifecycle (`DeliveryTrace.Status.deliveryEvent`).
    ///
    /// Throws `exchange.unknown_packet`, `exchange.not_recipient`, `request.invalid_field` (a description
    /// over 2000 characters), or `server.unavailable` when the hub has no trace store. A status that
    /// cannot move the delivery (already final, not fetched yet) is still recorded.
    public func recordTrace(_ id: PacketID, report: TraceReport, by caller: Caller) async throws -> (trace: DeliveryTrace, delivery: Delivery) {
        guard let traces else { throw LGSPError(.unavailable, "this hub keeps no delivery traces") }
        if let description = report.description, description.count > 2000 {
            throw LGSPError(.invalidField, "a status description may have at most 2000 characters", field: "Description")
        }
        let record = try await record(id)
        guard let delivery = record.deliveries.first(where: { $0.appID == caller.app.id }) else {
            throw LGSPError(.notRecipient, "app \(caller.app.accessKey) is not a destination of packet \(id)")
        }
        var current = delivery
        if let event = report.status.deliveryEvent(in: delivery.state, description: report.description) {
            if event == .accept {
                current = try await accept(id, by: caller).delivery
            } else {
                current = try await move(delivery, of: record.packet, on: event, siblings: record.deliveries)
            }
        }
        let now = clock.now()
        let trace = DeliveryTrace(
            packetID: id, appID: caller.app.id, recipient: delivery.recipient, status: report.status, description: report.description,
            staff: report.staff, reportedAt: report.reportedAt, at: now)
        let payload = EventPayload.encode(
            EventPayload.Trace(
                packetId: id, recipient: delivery.recipient, appId: caller.app.id, status: report.status.rawValue, statusName: report.status.name,
                description: report.description, reportedAt: report.reportedAt, state: current.state, at: now))
        let event = HubEvent(appID: record.packet.sourceAppID, type: .packetTrace, packetID: id, payload: payload, at: now)
        try await traces.append(trace, events: [event])
        await notifier.eventsStored(for: [record.packet.sourceAppID])
        logger.info("delivery trace", metadata: ["packet": "\(id)", "app": "\(caller.app.accessKey)", "status": "\(report.status.rawValue)"])
        return (trace, current)
    }

    /// The traces of a packet: every one for its source and administrators, its own for a destination.
    public func traces(of id: PacketID, by caller: Caller) async throws -> [DeliveryTrace] {
        let record = try await record(id)
        let all = try await traces?.traces(of: id) ?? []
        if record.packet.sourceAppID == caller.app.id || caller.isAdmin { return all }
        guard record.deliveries.contains(where: { $0.appID == caller.app.id }) else {
            throw LGSPError(.forbidden, "app \(caller.app.accessKey) is neither the source nor a destination of packet \(id)")
        }
        return all.filter { $0.appID == caller.app.id }
    }
}
