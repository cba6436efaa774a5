import Foundation

/// A processing status a destination reported for its delivery (edXML status packet, QCVN 102:2016):
/// what happened to the document after the hub delivered it (received, accepted, assigned, finished…).
///
/// Traces are history, not state: they are kept after the content is purged and shown to the source
/// with its packet. Some of them also move the delivery (`DeliveryTrace.Status.deliveryEvent`).
public struct DeliveryTrace: Sendable, Hashable, Codable {
    public var packetID: PacketID
    /// The destination app that reported it.
    public var appID: String
    /// The destination unit.
    public var recipient: UnitCode
    /// The edXML status code (`01`…`06`, `13`, `15`, `16`).
    public var status: Status
    /// The destination's words (edXML `Description`), if any.
    public var description: String?
    /// Who handled it (edXML `StaffInfo`, flattened to one line), if told.
    public var staff: String?
    /// When the destination says it happened (edXML `Timestamp`), if given.
    public var reportedAt: Date?
    /// When the hub recorded it.
    public var at: Date

    public init(
        packetID: PacketID, appID: String, recipient: UnitCode, status: Status, description: String? = nil, staff: String? = nil,
        reportedAt: Date? = nil, at: Date
    ) {
        self.packetID = packetID
        self.appID = appID
        self.recipient = recipient
        self.status = status
        self.description = description
        self.staff = staff
        self.reportedAt = reportedAt
        self.at = at
    }

    /// The edXML status codes (QCVN 102:2016).
    public enum Status: String, Sendable, Hashable, Codable, CaseIterable {
        case received = "01"
        case rejected = "02"
        case accepted = "03"
        case assigned = "04"
        case processing = "05"
        case finished = "06"
        case recallRequested = "13"
        case recallAgreed = "15"
        case recallRefused = "16"

        /// A short English name (`accepted`, `recall_requested`…), for JSON and logs.
        public var name: String {
            switch self {
            case .received: "received"
            case .rejected: "rejected"
            case .accepted: "accepted"
            case .assigned: "assigned"
            case .processing: "processing"
            case .finished: "finished"
            case .recallRequested: "recall_requested"
            case .recallAgreed: "recall_agreed"
            case .recallRefused: "recall_refused"
            }
        }
    }
}
