extension DeliveryTrace.Status {
    /// The delivery event a status implies in `state`, if any; other statuses are recorded as traces only.
    ///
    /// QCVN 102:2016 statuses follow the document inside the destination's system; where one says
    /// what the hub's delivery lifecycle also says, the delivery moves: 02 rejected refuses it,
    /// 03/04/05 (accepted, assigned, processing) accept a delivery not yet accepted, and 01 received or
    /// 06 finished acknowledge one that was accepted (the content was fetched through the hub).
    public func deliveryEvent(in state: DeliveryState, description: String?) -> DeliveryStateMachine.Event? {
        if state.isFinal { return nil }
        switch self {
        case .rejected:
            return .reject(reason: description.flatMap { $0.isEmpty ? nil : String($0.prefix(2000)) } ?? "the destination refused the document (edXML status 02)")
        case .accepted, .assigned, .processing:
            return state == .ready || state == .notified ? .accept : nil
        case .received, .finished:
            return state == .accepted ? .acknowledge : nil
        case .recallRequested, .recallAgreed, .recallRefused:
            return nil
        }
    }
}
