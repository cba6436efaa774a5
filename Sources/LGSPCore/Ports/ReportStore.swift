import Foundation

/// The aggregates unit reports need (Articles 5.11–5.12), computed where the packets are stored.
///
/// Contract (checked by `ReportStoreConformance` in LGSPTesting for every implementation):
/// - `traffic` reads one consistent snapshot and returns an entry for every unit that has at least
///   one non-zero figure in the period (only `unit` when it is given); other units are absent.
/// - Instants are compared at millisecond precision; `[from, to)` is half-open.
/// - A final delivery never changes again, so the instant it became final is its last update.
///
/// Figures, per unit, in each direction (`sent`: the unit is the packet's source; `received`: the
/// unit is the delivery's recipient):
/// - `sent.packets`, `sent.bytes`: packets of the unit whose content the hub received completely
///   (upload verified) in the period, and the sum of their content sizes. A send request whose
///   content never arrived is not counted.
/// - `received.packets`, `received.bytes`: packets that reached the unit in the period: a packet
///   counts once per recipient unit, in the period of the first of the unit's deliveries of it that
///   reached `delivered` (a unit with several receiving apps still counts it once).
/// - `finalStates`: deliveries that entered each final state in the period.
/// - `open`: deliveries not final at the end of the period: created before `to` and not yet final at
///   `to` (with `to` in the future: not final now). Older backlog counts too.
/// - `deliveryMillis`: for each delivery that entered `delivered` in the period, the milliseconds
///   from the packet's creation (the send request) to that instant, in ascending order.
public protocol ReportStore: Sendable {
    /// Traffic figures per unit over `period`, of every unit or of `unit` only (see the contract).
    func traffic(in period: ReportPeriod, unit: UnitCode?) async throws -> [UnitCode: UnitTraffic]
}

/// A unit's traffic in both directions, as the store counts it (see `ReportStore`).
public struct UnitTraffic: Sendable, Hashable {
    /// As the source of packets.
    public var sent: DirectionTraffic
    /// As the recipient of packets.
    public var received: DirectionTraffic

    public init(sent: DirectionTraffic = DirectionTraffic(), received: DirectionTraffic = DirectionTraffic()) {
        self.sent = sent
        self.received = received
    }
}

/// Raw counts of one direction of a unit's traffic (see `ReportStore` for each definition).
public struct DirectionTraffic: Sendable, Hashable {
    public var packets: Int
    public var bytes: Int64
    /// Deliveries per final state entered in the period; states with none may be absent.
    public var finalStates: [DeliveryState: Int]
    public var open: Int
    /// Delivery times in milliseconds, ascending.
    public var deliveryMillis: [Int64]

    public init(packets: Int = 0, bytes: Int64 = 0, finalStates: [DeliveryState: Int] = [:], open: Int = 0, deliveryMillis: [Int64] = []) {
        self.packets = packets
        self.bytes = bytes
        self.finalStates = finalStates
        self.open = open
        self.deliveryMillis = deliveryMillis
    }
}
