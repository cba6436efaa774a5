/// Told of what the exchange has stored: packets created and delivery state changes (the audit log
/// and metrics listen here). Called after the store committed, on the caller's task: an observer
/// must not block (queue the work) and cannot fail the exchange.
public protocol ExchangeObserver: Sendable {
    func packetCreated(_ packet: Packet, deliveries: [Delivery])
    /// Changes that moved a delivery to another state, as committed together.
    func deliveriesChanged(_ changes: [DeliveryChange])
}
