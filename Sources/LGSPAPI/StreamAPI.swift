import Foundation
import LGSPCore

/// The first message of every event stream (`GET /v1/events`, `GET /v1/stream`): the packets
/// waiting for the app and the states of the packets it sent in the last 7 days (Articles 8.1, 9.1).
public struct StreamSnapshot: Codable, Sendable, Hashable {
    public var inbox: [InboxItem]
    public var sent: [PacketBody]
    /// The event id the stream continues after: the client's `Last-Event-ID` when it sent one, else
    /// the app's newest event. Set by the hub in the stream's framing; absent when encoding the body alone.
    public var lastEventId: Int64?

    public init(inbox: [InboxItem], sent: [PacketBody], lastEventId: Int64? = nil) {
        self.inbox = inbox
        self.sent = sent
        self.lastEventId = lastEventId
    }
}
