import LGSPCore
import Testing

/// Every (state, event) pair of the delivery lifecycle against a table written out by hand.
@Suite("DeliveryStateMachine")
struct DeliveryStateMachineTests {
    typealias Action = DeliveryStateMachine.Action

    /// The events, one representative each (reasons are fixed so that they can be checked).
    enum Kind: String, CaseIterable, Sendable, CustomTestStringConvertible {
        case contentStored, due, notificationSent, accept, acknowledge, reject, expire, giveUp, transformFailed
        case handOff, remoteDelivered, remoteRejected, remoteAccepted

        var event: DeliveryStateMachine.Event {
            switch self {
            case .contentStored: .contentStored
            case .due: .due
            case .notificationSent: .notificationSent
            case .accept: .accept
            case .acknowledge: .acknowledge
            case .reject: .reject(reason: "not ours")
            case .expire: .expire(reason: "deadline passed")
            case .giveUp: .giveUp(reason: "offline for 7 days")
            case .transformFailed: .transformFailed(reason: "no mapping for edoc 1.0")
            case .handOff: .handOff
            case .remoteDelivered: .remoteOutcome(.delivered, reason: nil)
            case .remoteRejected: .remoteOutcome(.rejected, reason: "not ours at H26")
            case .remoteAccepted: .remoteOutcome(.accepted, reason: nil)
            }
        }

        /// The reason the event carries, if any.
        var reason: String? {
            switch self {
            case .reject: "not ours"
            case .expire: "deadline passed"
            case .giveUp: "offline for 7 days"
            case .transformFailed: "no mapping for edoc 1.0"
            case .remoteRejected: "not ours at H26"
            default: nil
            }
        }

        var testDescription: String { rawValue }
    }

    enum Outcome: Sendable {
        /// The delivery moves to a new state with exactly these actions.
        case to(DeliveryState, Set<Action>)
        /// The event is accepted but the state stays as it is, with no action.
        case unchanged
        /// The event is refused with this code.
        case refused(ErrorCode)
    }

    static let report: Set<Action> = [.reportToSource]
    static let becomeReady: Set<Action> = [.notifyDestination, .reportToSource]
    static let end: Set<Action> = [.reportToSource, .checkPacketFinished]
    static let finalRow: [Kind: Outcome] = [
        .contentStored: .refused(.deliveryFinal), .due: .refused(.deliveryFinal),
        .notificationSent: .refused(.deliveryFinal), .accept: .refused(.deliveryFinal),
        .acknowledge: .refused(.deliveryFinal), .reject: .refused(.deliveryFinal), .expire: .refused(.deliveryFinal),
        .giveUp: .refused(.deliveryFinal), .transformFailed: .refused(.deliveryFinal),
        .handOff: .refused(.deliveryFinal), .remoteDelivered: .refused(.deliveryFinal), .remoteRejected: .refused(.deliveryFinal),
        .remoteAccepted: .refused(.deliveryFinal),
    ]
    /// Federation events on a local, not handed-off delivery: only `ready` and `notified` may be handed off.
    static func federation(handOff: Outcome = .refused(.invalidTransition)) -> [Kind: Outcome] {
        [.handOff: handOff, .remoteDelivered: .refused(.invalidTransition), .remoteRejected: .refused(.invalidTransition),
         .remoteAccepted: .refused(.invalidTransition)]
    }

    /// The lifecycle as DOMAIN.md and the state docs describe it, written independently of the implementation.
    static let expected: [DeliveryState: [Kind: Outcome]] = [
        .created: [
            .contentStored: .to(.uploaded, report), .due: .refused(.invalidTransition),
            .notificationSent: .refused(.invalidTransition), .accept: .refused(.contentNotReady),
            .acknowledge: .refused(.notAccepted), .reject: .refused(.contentNotReady), .expire: .to(.expired, end),
            .giveUp: .to(.undeliverable, end), .transformFailed: .refused(.invalidTransition),
        ].merging(federation()) { $1 },
        .uploaded: [
            .contentStored: .refused(.invalidTransition), .due: .to(.ready, becomeReady),
            .notificationSent: .refused(.invalidTransition), .accept: .refused(.contentNotReady),
            .acknowledge: .refused(.notAccepted), .reject: .refused(.contentNotReady), .expire: .to(.expired, end),
            .giveUp: .to(.undeliverable, end), .transformFailed: .to(.transformFailed, end),
        ].merging(federation()) { $1 },
        .ready: [
            .contentStored: .refused(.invalidTransition), .due: .refused(.invalidTransition),
            .notificationSent: .to(.notified, report), .accept: .to(.accepted, report),
            .acknowledge: .refused(.notAccepted), .reject: .to(.rejected, end), .expire: .to(.expired, end),
            .giveUp: .to(.undeliverable, end), .transformFailed: .refused(.invalidTransition),
        ].merging(federation(handOff: .to(.handedOff, report))) { $1 },
        .notified: [
            .contentStored: .refused(.invalidTransition), .due: .refused(.invalidTransition),
            .notificationSent: .refused(.invalidTransition), .accept: .to(.accepted, report),
            .acknowledge: .refused(.notAccepted), .reject: .to(.rejected, end), .expire: .to(.expired, end),
            .giveUp: .to(.undeliverable, end), .transformFailed: .refused(.invalidTransition),
        ].merging(federation(handOff: .to(.handedOff, report))) { $1 },
        .accepted: [
            .contentStored: .refused(.invalidTransition), .due: .refused(.invalidTransition),
            .notificationSent: .refused(.invalidTransition), .accept: .unchanged,
            .acknowledge: .to(.delivered, end), .reject: .to(.rejected, end), .expire: .to(.expired, end),
            .giveUp: .refused(.invalidTransition), .transformFailed: .refused(.invalidTransition),
        ].merging(federation()) { $1 },
        .handedOff: [
            .contentStored: .refused(.invalidTransition), .due: .refused(.invalidTransition),
            .notificationSent: .refused(.invalidTransition), .accept: .refused(.invalidTransition),
            .acknowledge: .refused(.invalidTransition), .reject: .refused(.invalidTransition), .expire: .to(.expired, end),
            .giveUp: .refused(.invalidTransition), .transformFailed: .refused(.invalidTransition),
            .handOff: .refused(.invalidTransition), .remoteDelivered: .to(.delivered, end), .remoteRejected: .to(.rejected, end),
            .remoteAccepted: .refused(.invalidTransition),
        ],
        .delivered: finalRow,
        .rejected: finalRow,
        .expired: finalRow,
        .undeliverable: finalRow,
        .transformFailed: finalRow,
    ]

    @Test("the expected table covers every state and every event")
    func table_isComplete() {
        #expect(Set(Self.expected.keys) == Set(DeliveryState.allCases))
        for state in DeliveryState.allCases {
            #expect(Set(Self.expected[state].map { Array($0.keys) } ?? []) == Set(Kind.allCases), "row \(state)")
        }
    }

    @Test(
        "every (state, event) pair gives the expected next state, actions or error", arguments: DeliveryState.allCases,
        Kind.allCases)
    func transition_followsTable(state: DeliveryState, kind: Kind) throws {
        let outcome = try #require(Self.expected[state]?[kind])
        switch outcome {
        case .to(let next, let actions):
            let transition = try DeliveryStateMachine.transition(from: state, on: kind.event)
            #expect(transition.to == next)
            #expect(transition.changesState)
            #expect(Set(transition.actions) == actions)
            #expect(transition.actions.count == actions.count, "no action twice: \(transition.actions)")
            #expect(transition.reason == kind.reason)
        case .unchanged:
            let transition = try DeliveryStateMachine.transition(from: state, on: kind.event)
            #expect(transition.to == state)
            #expect(!transition.changesState)
            #expect(transition.actions.isEmpty)
        case .refused(let code):
            let error = #expect(throws: LGSPError.self) {
                try DeliveryStateMachine.transition(from: state, on: kind.event)
            }
            #expect(error?.code == code)
            #expect(error?.details["state"] == state.rawValue)
            #expect(error?.message.contains(state.rawValue) == true)
        }
    }

    @Test("action rules hold over the whole table: notify only into ready, finish check only into a final state")
    func actions_followRules() {
        for state in DeliveryState.allCases {
            for kind in Kind.allCases {
                guard let transition = try? DeliveryStateMachine.transition(from: state, on: kind.event) else {
                    continue
                }
                let entered = transition.changesState ? transition.to : nil
                #expect(transition.actions.contains(.notifyDestination) == (entered == .ready), "\(state) on \(kind)")
                #expect(
                    transition.actions.contains(.checkPacketFinished) == (entered?.isFinal == true),
                    "\(state) on \(kind)")
                #expect(transition.actions.contains(.reportToSource) == transition.changesState, "\(state) on \(kind)")
            }
        }
    }

    @Test(
        "isFinal is true exactly for delivered, rejected, expired, undeliverable and transform_failed",
        arguments: [
            (DeliveryState.created, false), (.uploaded, false), (.ready, false), (.notified, false), (.accepted, false),
            (.delivered, true), (.rejected, true), (.expired, true), (.undeliverable, true), (.transformFailed, true),
        ])
    func isFinal_matchesDocumentation(state: DeliveryState, isFinal: Bool) {
        #expect(state.isFinal == isFinal)
    }

    @Test("the states a destination sees in its inbox are ready, notified and accepted")
    func offered_areReadyNotifiedAccepted() {
        #expect(DeliveryState.offered == [.ready, .notified, .accepted])
        #expect(DeliveryState.transformFailed.rawValue == "transform_failed")
    }
}
