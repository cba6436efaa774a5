import Foundation
import Testing

@testable import LGSPCore

/// `TransitionPlan` for deliveries a peer link carries: they wait `ready` in the link's queue,
/// and hand-off and remote outcomes reach the source like local states.
@Suite("TransitionPlan upstream deliveries")
struct TransitionPlanUpstreamTests {
    static let at = TransitionPlanTests.at

    static func upstreamDelivery(of packet: Packet, in state: DeliveryState) -> Delivery {
        let address = UpstreamAddress(peer: "ngsp", recipient: TransitionPlanTests.recipient)
        return Delivery(packetID: packet.id, recipient: address.recipient, appID: address.appID, state: state, updatedAt: at)
    }

    @Test("a due upstream delivery becomes ready and stays so: no packet.available, one status to the source")
    func due_upstreamStaysReady() throws {
        let packet = try TransitionPlanTests.packet()
        var delivery = Self.upstreamDelivery(of: packet, in: .uploaded)
        var plan = TransitionPlan(packet: packet, at: Self.at)
        try plan.add(.due, to: &delivery)
        #expect(plan.changes.map(\.to) == [.ready])
        #expect(delivery.state == .ready)
        #expect(plan.events.map(\.type) == [.packetStatus])
        #expect(plan.events.allSatisfy { $0.appID == packet.sourceAppID })
    }

    @Test("hand-off then a remote delivered outcome: two source statuses, and the packet may finish")
    func handOff_thenRemoteOutcome() throws {
        let packet = try TransitionPlanTests.packet()
        var delivery = Self.upstreamDelivery(of: packet, in: .ready)
        var plan = TransitionPlan(packet: packet, at: Self.at)
        try plan.add(.handOff, to: &delivery)
        #expect(!plan.reachedFinal)
        try plan.add(.remoteOutcome(.delivered, reason: nil), to: &delivery)
        #expect(plan.changes.map(\.to) == [.handedOff, .delivered])
        let states = try plan.events.map { try TransitionPlanTests.json($0)["state"] as? String }
        #expect(states == ["handed_off", "delivered"])
        #expect(plan.reachedFinal)
        #expect(DeliveryState.handedOff.releasesContent && !DeliveryState.handedOff.isFinal)
    }
}
