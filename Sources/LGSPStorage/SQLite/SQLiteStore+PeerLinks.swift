import Foundation
import GRDB
import LGSPCore

/// The peer links' durable state (federation). The hand-off queue reads `deliveries` through the
/// `deliveries_inbox` index (`app_id, state, priority DESC, created_at`): a peer's delivery ids
/// share the prefix `peer:<name>/`, read as the range [`peer:<name>/`, `peer:<name>0`).
extension SQLiteStore: PeerLinkStore {
    public func handOffQueue(peer: String, limit: Int) async throws -> [Delivery] {
        let (low, high) = Self.appIDRange(peer: peer)
        return try await reading { db in
            try db.rows("""
                    SELECT * FROM deliveries WHERE app_id >= ? AND app_id < ? AND state IN ('ready', 'notified')
                    ORDER BY priority DESC, created_at, packet_id LIMIT ?
                    """, [low, high, limit]
            ).map(Self.delivery)
        }
    }

    public func queueFigures(peer: String) async throws -> PeerQueueFigures {
        let (low, high) = Self.appIDRange(peer: peer)
        return try await reading { db in
            let row = try db.row("""
                    SELECT count(*) AS n, min(updated_at) AS oldest FROM deliveries
                    WHERE app_id >= ? AND app_id < ? AND state IN ('ready', 'notified')
                    """, [low, high])
            return PeerQueueFigures(depth: row?["n"] ?? 0, oldestSince: row?.date("oldest"))
        }
    }

    public func statusCursor(peer: String) async throws -> Int64 {
        try await reading { db in
            try Int64.fetchOne(db, sql: "SELECT cursor FROM peer_status_cursors WHERE peer = ?", arguments: [peer]) ?? 0
        }
    }

    public func setStatusCursor(peer: String, to sequence: Int64) async throws {
        try await writing { db in
            try db.run("""
                INSERT INTO peer_status_cursors (peer, cursor) VALUES (?, ?)
                ON CONFLICT(peer) DO UPDATE SET cursor = MAX(cursor, excluded.cursor)
                """, [peer, sequence])
        }
    }

    public func recordReceipt(_ receipt: HandOffReceiptRecord) async throws {
        try await writing { db in
            try db.run("""
                INSERT INTO peer_receipts (packet_id, peer, token, recipients, at) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT(packet_id, peer) DO UPDATE SET token = excluded.token, recipients = excluded.recipients, at = excluded.at
                """, [receipt.packetID.rawValue, receipt.peer, receipt.token, receipt.recipients.map(\.rawValue).joined(separator: ","), receipt.at.millis])
        }
    }

    public func receipts(of id: PacketID) async throws -> [HandOffReceiptRecord] {
        try await reading { db in
            try db.rows("SELECT * FROM peer_receipts WHERE packet_id = ? ORDER BY peer", [id.rawValue]).map { row in
                let recipients: String = row["recipients"]
                return HandOffReceiptRecord(
                    packetID: id, peer: row["peer"], token: row["token"],
                    recipients: recipients.split(separator: ",").compactMap { UnitCode(lenient: String($0)) },
                    at: try stored(row.date("at"), "receipt time"))
            }
        }
    }

    /// `[peer:<name>/, peer:<name>0)`: '0' is the character after '/', so the range holds exactly the prefix.
    static func appIDRange(peer: String) -> (String, String) {
        let low = UpstreamAddress.appIDPrefix(peer: peer)
        return (low, String(low.dropLast()) + "0")
    }
}
