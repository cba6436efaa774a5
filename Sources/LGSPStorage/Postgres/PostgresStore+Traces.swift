import Foundation
import LGSPCore
import PostgresNIO

/// Processing statuses destinations report (`DeliveryTraceStore`), stored with their events in one transaction.
extension PostgresStore: DeliveryTraceStore {
    public func append(_ trace: DeliveryTrace, events: [HubEvent]) async throws {
        try await transaction { tx in
            try await tx.run(
                """
                INSERT INTO delivery_traces (packet_id, app_id, recipient, status, description, staff, reported_at, at)
                VALUES (\(trace.packetID.rawValue), \(trace.appID), \(trace.recipient.description), \(trace.status.rawValue), \(trace.description),
                    \(trace.staff), \(trace.reportedAt?.millis), \(trace.at.millis))
                """)
            try await Self.appendEvents(events, tx)
        }
    }

    public func traces(of id: PacketID) async throws -> [DeliveryTrace] {
        try await rows("SELECT * FROM delivery_traces WHERE packet_id = \(id.rawValue) ORDER BY seq").map { row in
            DeliveryTrace(
                packetID: id, appID: try row.string("app_id"), recipient: try stored(UnitCode(lenient: try row.string("recipient")), "recipient"),
                status: try stored(DeliveryTrace.Status(rawValue: try row.string("status")), "trace status"),
                description: try row.optionalString("description"), staff: try row.optionalString("staff"),
                reportedAt: try row.optionalDate("reported_at"), at: try row.date("at"))
        }
    }
}
