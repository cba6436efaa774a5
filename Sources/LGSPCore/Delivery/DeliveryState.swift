/// The lifecycle of one delivery (a packet to one destination app).
///
/// `created → uploaded → ready → notified → accepted → delivered`, with the exits `rejected`,
/// `expired`, `undeliverable` and `transformFailed`. The transitions are `DeliveryStateMachine`'s.
public enum DeliveryState: String, Sendable, Codable, CaseIterable {
    /// The send request was accepted; the content is not uploaded yet.
    case created
    /// The content is stored and verified; the delivery waits for its not-before time (and transformation).
    case uploaded
    /// Due: the destination may take it.
    case ready
    /// The destination has been told that the packet waits.
    case notified
    /// The destination said it is ready to receive and got a download space.
    case accepted
    /// A peer hub took responsibility for the packet (signed hand-off receipt); the far hub's
    /// outcome arrives later (`DeliveryStateMachine.Event.remoteOutcome`). Not final, but the local
    /// content is no longer needed.
    case handedOff = "handed_off"
    /// The destination confirmed receipt with the right digest. Final.
    case delivered
    /// The destination refused the packet. Final.
    case rejected
    /// The deadline (or the upload window) passed first. Final.
    case expired
    /// The destination could not be reached or stayed offline too long. Final.
    case undeliverable
    /// The content could not be converted into a form the destination accepts. Final.
    case transformFailed = "transform_failed"

    /// Whether no further transition is possible.
    public var isFinal: Bool {
        switch self {
        case .delivered, .rejected, .expired, .undeliverable, .transformFailed: true
        case .created, .uploaded, .ready, .notified, .accepted, .handedOff: false
        }
    }

    /// Whether the hub no longer needs the packet's content for this delivery (final, or handed off to a peer).
    public var releasesContent: Bool { isFinal || self == .handedOff }

    /// States in which the destination may see the packet in its inbox.
    public static let offered: [DeliveryState] = [.ready, .notified, .accepted]
}
