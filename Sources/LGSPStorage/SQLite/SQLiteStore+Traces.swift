import Foundation
import GRDB
import LGSPCore

extension SQLiteStore: DeliveryTraceStore {
    public func append(_ trace: DeliveryTrace, events: [HubEvent]) async throws {
        try await writing { db in
            try db.run("""
                INSERT INTO delivery_traces (packet_id, app_id, recipient, status, description, staff, reported_at, at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """, [trace.packetID.rawValue, trace.appID, trace.recipient.description, trace.status.rawValue, trace.description, trace.staff,
                      trace.reportedAt?.millis, trace.at.millis])
            for event in events {
                try db.run("INSERT INTO events (app_id, type, packet_id, payload, at) VALUES (?, ?, ?, ?, ?)", [event.appID, event.type.rawValue, event.packetID.rawValue, String(decoding: event.payload, as: UTF8.self), event.at.millis])
            }
        }
    }

    public func traces(of id: PacketID) async throws -> [DeliveryTrace] {
        try await reading { db in
            try db.rows("SELECT * FROM delivery_traces WHERE packet_id = ? ORDER BY seq", [id.rawValue]).map { row in
                DeliveryTrace(
                    packetID: id, appID: row["app_id"], recipient: try stored(UnitCode(lenient: row["recipient"]), "recipient"),
                    status: try stored(DeliveryTrace.Status(rawValue: row["status"]), "trace status"), description: row["description"],
                    staff: row["staff"], reportedAt: row.date("reported_at"), at: try stored(row.date("at"), "trace date"))
            }
        }
    }
}
