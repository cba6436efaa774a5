import Foundation
import LGSPAPI
import LGSPCore

/// What an event subscription (``LGSPClient/events(lastEventID:options:)``) yields.
public enum StreamMessage: Sendable, Hashable {
    /// The first message of every connection, reconnections included: what waits for the app and
    /// the states of what it sent. After a reconnection the events it missed follow, so a packet can
    /// be both in this inbox and in a `packet.available` event that comes next.
    case snapshot(StreamSnapshot)
    /// A stored hub event, each delivered once, in id order.
    case event(StreamEvent)
}

/// One hub event from the stream: its id (increasing per app), type and JSON body.
public struct StreamEvent: Sendable, Hashable {
    /// The event's id: what `Last-Event-ID` resumes after.
    public var id: Int64
    /// The event type as sent (`packet.available`, `packet.status`, …); see ``kind``.
    public var type: String
    /// The JSON body as sent.
    public var data: Data
    /// When the change happened, for events whose body says so (status events' `at`); Server-Sent
    /// Events frames carry no time of their own.
    public var at: Date?

    public init(id: Int64, type: String, data: Data, at: Date? = nil) {
        self.id = id
        self.type = type
        self.data = data
        self.at = at
    }

    /// The type as a known kind; nil for a type this client does not know (a newer hub).
    public var kind: HubEventType? { HubEventType(rawValue: type) }

    /// Decodes the body as `T` with the API's date handling.
    public func decode<T: Decodable>(_ type: T.Type) throws -> T {
        try APICoding.makeDecoder().decode(T.self, from: data)
    }

    /// The body of a `packet.available` event; nil for other types.
    public var available: EventPayload.Available? {
        kind == .packetAvailable ? try? decode(EventPayload.Available.self) : nil
    }

    /// The body of a `packet.status`, `delivery.undeliverable` or `delivery.expired` event; nil for other types.
    public var status: EventPayload.Status? {
        guard let kind, kind != .packetAvailable else { return nil }
        return try? decode(EventPayload.Status.self)
    }
}
