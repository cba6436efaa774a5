import Foundation

/// Persistence of the processing statuses destinations report (`DeliveryTrace`).
///
/// Contract: `append` stores the trace and the events in one transaction; `traces(of:)` returns a
/// packet's traces in the order they were recorded. Traces are never deleted with the content.
public protocol DeliveryTraceStore: Sendable {
    /// Stores one trace and the events telling it.
    func append(_ trace: DeliveryTrace, events: [HubEvent]) async throws
    /// A packet's traces, oldest first.
    func traces(of id: PacketID) async throws -> [DeliveryTrace]
}
