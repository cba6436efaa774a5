import LGSPCore
import Testing

/// Which edXML statuses move a delivery, and how.
@Suite("DeliveryTrace status mapping")
struct DeliveryTraceTests {
    @Test("02 rejects an open delivery with the destination's words as the reason")
    func rejected_rejects() {
        #expect(DeliveryTrace.Status.rejected.deliveryEvent(in: .notified, description: "Sai thể thức") == .reject(reason: "Sai thể thức"))
        #expect(DeliveryTrace.Status.rejected.deliveryEvent(in: .accepted, description: nil) != nil)
    }

    @Test("03, 04, 05 accept a delivery not yet accepted, and nothing else", arguments: [DeliveryTrace.Status.accepted, .assigned, .processing])
    func accepted_accepts(status: DeliveryTrace.Status) {
        #expect(status.deliveryEvent(in: .ready, description: nil) == .accept)
        #expect(status.deliveryEvent(in: .notified, description: nil) == .accept)
        #expect(status.deliveryEvent(in: .accepted, description: nil) == nil)
        #expect(status.deliveryEvent(in: .created, description: nil) == nil)
    }

    @Test("01 and 06 acknowledge a delivery that was fetched", arguments: [DeliveryTrace.Status.received, .finished])
    func finished_acknowledges(status: DeliveryTrace.Status) {
        #expect(status.deliveryEvent(in: .accepted, description: nil) == .acknowledge)
        #expect(status.deliveryEvent(in: .notified, description: nil) == nil)
    }

    @Test("recall statuses and any status on a final delivery are traces only", arguments: DeliveryTrace.Status.allCases)
    func final_orRecall_isTraceOnly(status: DeliveryTrace.Status) {
        for state in DeliveryState.allCases where state.isFinal {
            #expect(status.deliveryEvent(in: state, description: nil) == nil)
        }
        if [.recallRequested, .recallAgreed, .recallRefused].contains(status) {
            #expect(status.deliveryEvent(in: .accepted, description: nil) == nil)
        }
    }
}
