/// The pure lifecycle of a delivery: given a state and an event, the next state and what to do.
///
/// It performs no I/O; `Exchange` applies the resulting change through the `PacketStore` (which
/// refuses it if another node moved the delivery first) and carries out the actions.
public enum DeliveryStateMachine {
    /// What happened to a delivery.
    public enum Event: Sendable, Hashable {
        /// The packet's content was uploaded and verified.
        case contentStored
        /// The delivery became due (its not-before time passed, its content is in the destination's form).
        case due
        /// The destination was told that the packet waits.
        case notificationSent
        /// The destination asked for the content.
        case accept
        /// The destination confirmed receipt with the right digest.
        case acknowledge
        /// The destination refused the packet.
        case reject(reason: String)
        /// The deadline or the upload window passed.
        case expire(reason: String)
        /// The destination cannot be found or stayed offline too long.
        case giveUp(reason: String)
        /// The content could not be converted for the destination.
        case transformFailed(reason: String)
        /// A peer hub took responsibility for the packet (federation: signed hand-off receipt).
        case handOff
        /// The hub the packet was handed to reports a final state (delivered, rejected, expired,
        /// undeliverable, transform_failed) of its delivery to the recipient.
        case remoteOutcome(DeliveryState, reason: String?)
    }

    /// Work the caller must do after a transition.
    public enum Action: Sendable, Hashable {
        /// Tell the destination that the packet waits (`packet.available`).
        case notifyDestination
        /// Tell the source the delivery's new state (`packet.status`).
        case reportToSource
        /// The delivery is final: if every delivery of the packet is final, purge the content.
        case checkPacketFinished
    }

    /// The outcome of a transition.
    public struct Transition: Sendable, Hashable {
        public var to: DeliveryState
        public var reason: String?
        public var actions: [Action]
        /// False when the event leaves the state unchanged (accepting again renews the download window).
        public var changesState: Bool
    }

    /// Computes the transition for `event` in `state`.
    ///
    /// - Throws: `exchange.delivery_final` when the delivery is already final,
    ///   `exchange.content_not_ready` when the destination acts before the content is ready,
    ///   `exchange.not_accepted` when it acknowledges before accepting, and
    ///   `exchange.invalid_transition` for any other event that does not apply to `state`.
    public static func transition(from state: DeliveryState, on event: Event) throws(LGSPError) -> Transition {
        if state.isFinal {
            throw LGSPError(.deliveryFinal, "the delivery is already \(state.rawValue); it cannot change any more",
                details: ["state": state.rawValue])
        }
        switch (state, event) {
        case (.created, .contentStored):
            return move(to: .uploaded)
        case (.uploaded, .due):
            return move(to: .ready, actions: [.notifyDestination, .reportToSource])
        case (.ready, .notificationSent):
            return move(to: .notified)
        case (.ready, .accept), (.notified, .accept):
            return move(to: .accepted)
        case (.accepted, .accept):
            return Transition(to: .accepted, reason: nil, actions: [], changesState: false)
        case (.accepted, .acknowledge):
            return move(to: .delivered, final: true)
        case (.ready, .reject(let reason)), (.notified, .reject(let reason)), (.accepted, .reject(let reason)):
            return move(to: .rejected, reason: reason, final: true)
        case (_, .expire(let reason)):
            return move(to: .expired, reason: reason, final: true)
        case (.created, .giveUp(let reason)), (.uploaded, .giveUp(let reason)), (.ready, .giveUp(let reason)),
            (.notified, .giveUp(let reason)):
            return move(to: .undeliverable, reason: reason, final: true)
        case (.uploaded, .transformFailed(let reason)):
            return move(to: .transformFailed, reason: reason, final: true)
        case (.ready, .handOff), (.notified, .handOff):
            return move(to: .handedOff)
        case (.handedOff, .remoteOutcome(let outcome, let reason)) where outcome.isFinal:
            return move(to: outcome, reason: reason, final: true)
        case (.created, .accept), (.uploaded, .accept), (.created, .reject), (.uploaded, .reject):
            throw LGSPError(.contentNotReady, "the packet's content is not ready for this destination yet (delivery is \(state.rawValue))",
                details: ["state": state.rawValue])
        case (.ready, .acknowledge), (.notified, .acknowledge), (.created, .acknowledge), (.uploaded, .acknowledge):
            throw LGSPError(.notAccepted, "accept the packet and download it before acknowledging (delivery is \(state.rawValue))",
                details: ["state": state.rawValue])
        default:
            throw LGSPError(.invalidTransition, "event \(event.name) does not apply to a delivery that is \(state.rawValue)",
                details: ["state": state.rawValue])
        }
    }

    private static func move(
        to state: DeliveryState, reason: String? = nil, actions: [Action] = [.reportToSource], final: Bool = false
    ) -> Transition {
        Transition(to: state, reason: reason, actions: final ? actions + [.checkPacketFinished] : actions, changesState: true)
    }
}

extension DeliveryStateMachine.Event {
    /// A short name for messages.
    public var name: String {
        switch self {
        case .contentStored: "content_stored"
        case .due: "due"
        case .notificationSent: "notification_sent"
        case .accept: "accept"
        case .acknowledge: "acknowledge"
        case .reject: "reject"
        case .expire: "expire"
        case .giveUp: "give_up"
        case .transformFailed: "transform_failed"
        case .handOff: "hand_off"
        case .remoteOutcome: "remote_outcome"
        }
    }
}
