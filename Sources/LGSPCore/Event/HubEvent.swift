import Foundation

/// A notification for one app, stored in order so that it can be delivered (and re-delivered) later.
public struct HubEvent: Sendable, Hashable {
    /// The store's sequence number, increasing; nil before the event is stored.
    public var sequence: Int64?
    /// The app the event is for.
    public var appID: String
    public var type: HubEventType
    public var packetID: PacketID
    /// The event body: a JSON object.
    public var payload: Data
    public var at: Date

    public init(sequence: Int64? = nil, appID: String, type: HubEventType, packetID: PacketID, payload: Data, at: Date) {
        self.sequence = sequence
        self.appID = appID
        self.type = type
        self.packetID = packetID
        self.payload = payload
        self.at = at
    }
}

/// The kinds of events the hub emits.
public enum HubEventType: String, Sendable, Codable, CaseIterable {
    /// To a destination: a packet waits for it.
    case packetAvailable = "packet.available"
    /// To the source: a delivery of its packet changed state.
    case packetStatus = "packet.status"
    /// To the source: a destination could not be reached.
    case deliveryUndeliverable = "delivery.undeliverable"
    /// To the source: a delivery expired.
    case deliveryExpired = "delivery.expired"
    /// To the source: a destination reported a processing status (edXML 01…06, 13/15/16) for its delivery.
    case packetTrace = "packet.trace"
    /// To every app: a maintenance window was announced, changed or cancelled (Article 13); the
    /// event's `packetID` carries the window's id (a UUID version 7 like packet ids).
    case hubMaintenance = "hub.maintenance"
}
