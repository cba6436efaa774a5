import Foundation
import GRDB
import LGSPCore

extension SQLiteStore: PacketStore {
    public func insert(_ packet: Packet, deliveries: [Delivery], sealedContentKey: Data) async throws -> PacketInsertOutcome {
        try await writing { db in
            if let key = packet.idempotencyKey,
                let existing = try db.string("SELECT id FROM packets WHERE source_app_id = ? AND idempotency_key = ?", [packet.sourceAppID, key])
            {
                return .existing(try stored(PacketID(existing), "packet id"))
            }
            try db.run("""
                    INSERT INTO packets (id, source_app_id, source_unit, recipients, subject, priority, data_type, protocol,
                        content_size, content_sha256, media_type, not_before, deadline, idempotency_key, state, sealed_key,
                        created_at, upload_expires_at, uploaded_at, finished_at, purged_at, origin_hub, redirects)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """, [
                    packet.id.rawValue, packet.sourceAppID, packet.sourceUnit.rawValue, Self.list(packet.recipients.map(\.rawValue)),
                    packet.subject, packet.priority.rank, packet.dataType.rawValue, packet.exchangeProtocol, packet.content.size,
                    packet.content.sha256.hex, packet.content.mediaType, packet.policy.notBefore?.millis, packet.policy.deadline?.millis,
                    packet.idempotencyKey, packet.state.rawValue, sealedContentKey, packet.createdAt.millis,
                    packet.uploadExpiresAt.millis, packet.uploadedAt?.millis, packet.finishedAt?.millis, packet.purgedAt?.millis,
                    packet.originHub, try Self.redirectsText(packet.redirects),
                ])
            for delivery in deliveries {
                try db.run("""
                        INSERT INTO deliveries (packet_id, app_id, recipient, state, final, priority, created_at, not_before, deadline,
                            updated_at, reason, download_expires_at)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """, [
                        packet.id.rawValue, delivery.appID, delivery.recipient.rawValue, delivery.state.rawValue, delivery.state.isFinal,
                        packet.priority.rank, packet.createdAt.millis, packet.policy.notBefore?.millis, packet.policy.deadline?.millis,
                        delivery.updatedAt.millis, delivery.reason, delivery.downloadExpiresAt?.millis,
                    ])
                try Self.recordHistory(
                    packetID: packet.id, appID: delivery.appID, recipient: delivery.recipient, state: delivery.state,
                    at: delivery.updatedAt, reason: delivery.reason, db: db)
            }
            return .inserted
        }
    }

    public func packet(_ id: PacketID) async throws -> Packet? {
        try await reading { db in
            try db.row("SELECT * FROM packets WHERE id = ?", [id.rawValue]).map(Self.packet)
        }
    }

    public func record(_ id: PacketID) async throws -> PacketRecord? {
        try await reading { db in
            guard let row = try db.row("SELECT * FROM packets WHERE id = ?", [id.rawValue]) else { return nil }
            let deliveries = try db.rows("SELECT * FROM deliveries WHERE packet_id = ? ORDER BY recipient, app_id", [id.rawValue]).map(Self.delivery)
            return PacketRecord(packet: try Self.packet(row), deliveries: deliveries, sealedContentKey: row["sealed_key"])
        }
    }

    public func deliveries(of id: PacketID) async throws -> [Delivery] {
        try await reading { db in
            try db.rows("SELECT * FROM deliveries WHERE packet_id = ? ORDER BY recipient, app_id", [id.rawValue])
                .map(Self.delivery)
        }
    }

    public func history(of id: PacketID) async throws -> [DeliveryHistoryEntry] {
        try await reading { db in
            try db.rows("SELECT * FROM delivery_history WHERE packet_id = ? ORDER BY seq", [id.rawValue]).map { row in
                DeliveryHistoryEntry(
                    packetID: id, recipient: try stored(UnitCode(lenient: row["recipient"]), "recipient"), appID: row["app_id"],
                    state: try stored(DeliveryState(rawValue: row["state"]), "delivery state"), at: try stored(row.date("at"), "history date"),
                    reason: row["reason"])
            }
        }
    }

    public func sealedContentKey(of id: PacketID) async throws -> Data? {
        try await reading { db in
            try db.data("SELECT sealed_key FROM packets WHERE id = ?", [id.rawValue])
        }
    }

    public func apply(_ changes: [DeliveryChange], packetUpdate: PacketUpdate?, events: [HubEvent]) async throws {
        try await writing { db in
            for change in changes {
                try db.run("""
                        UPDATE deliveries SET state = ?, final = ?, updated_at = ?, reason = ?,
                            download_expires_at = COALESCE(?, download_expires_at), variant = COALESCE(?, variant)
                        WHERE packet_id = ? AND app_id = ? AND state = ?
                        """, [
                        change.to.rawValue, change.to.isFinal, change.at.millis, change.reason, change.downloadExpiresAt?.millis,
                        try Self.variantText(change.variant), change.packetID.rawValue, change.appID, change.from.rawValue,
                    ])
                guard db.changesCount == 1 else {
                    let current = try db.string("SELECT state FROM deliveries WHERE packet_id = ? AND app_id = ?", [change.packetID.rawValue, change.appID])
                    throw Self.lostRace(change, current: current.flatMap(DeliveryState.init(rawValue:)))
                }
                if change.from != change.to {
                    let recipient = try db.string("SELECT recipient FROM deliveries WHERE packet_id = ? AND app_id = ?", [change.packetID.rawValue, change.appID])
                    try Self.recordHistory(
                        packetID: change.packetID, appID: change.appID, recipient: try stored(recipient.flatMap(UnitCode.init(lenient:)), "recipient"),
                        state: change.to, at: change.at, reason: change.reason, db: db)
                }
            }
            if let update = packetUpdate {
                try db.run("""
                        UPDATE packets SET state = COALESCE(?, state), uploaded_at = COALESCE(?, uploaded_at),
                            finished_at = COALESCE(?, finished_at)
                        WHERE id = ?
                        """, [update.state?.rawValue, update.uploadedAt?.millis, update.finishedAt?.millis, update.id.rawValue])
                if let purgedAt = update.purgedAt {
                    // The purge destroys the per-packet key: any ciphertext left anywhere is unreadable.
                    try db.run(
                        "UPDATE packets SET sealed_key = NULL, purged_at = COALESCE(purged_at, ?) WHERE id = ?", [purgedAt.millis, update.id.rawValue])
                }
            }
            for event in events {
                try db.run("INSERT INTO events (app_id, type, packet_id, payload, at) VALUES (?, ?, ?, ?, ?)", [event.appID, event.type.rawValue, event.packetID.rawValue, String(decoding: event.payload, as: UTF8.self), event.at.millis])
            }
        }
    }

    public func inbox(appID: String, limit: Int) async throws -> [InboxEntry] {
        try await reading { db in
            let rows = try db.rows("""
                    SELECT d.packet_id AS d_packet_id, d.app_id AS d_app_id, d.recipient AS d_recipient, d.state AS d_state,
                        d.updated_at AS d_updated_at, d.reason AS d_reason, d.download_expires_at AS d_download_expires_at,
                        d.variant AS d_variant, p.*
                    FROM deliveries d JOIN packets p ON p.id = d.packet_id
                    WHERE d.app_id = ? AND d.state IN ('ready', 'notified', 'accepted')
                    ORDER BY d.priority DESC, d.created_at, d.packet_id
                    LIMIT ?
                    """, [appID, limit])
            return try rows.map { row in
                InboxEntry(packet: try Self.packet(row), delivery: try Self.delivery(row, prefix: "d_"))
            }
        }
    }

    public func packets(_ query: PacketQuery) async throws -> [PacketSummary] {
        try await reading { db in
            var conditions: [String] = []
            var arguments: StatementArguments = []
            func add(_ condition: String, _ value: (any DatabaseValueConvertible)?) {
                guard let value else { return }
                conditions.append(condition)
                _ = arguments.append(contentsOf: [value])
            }
            var from = "packets p"
            switch query.role {
            case .sent(let appID):
                add("p.source_app_id = ?", appID)
            case .received(let appID):
                from = "packets p JOIN deliveries r ON r.packet_id = p.id AND r.app_id = ?"
                _ = arguments.append(contentsOf: [appID])
            case .all:
                break
            }
            add("p.data_type = ?", query.dataType?.rawValue)
            add("p.created_at >= ?", query.since?.millis)
            add("p.created_at < ?", query.until?.millis)
            add("p.id < ?", query.before?.rawValue)
            add("p.idempotency_key = ?", query.idempotencyKey)
            let whereClause = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
            _ = arguments.append(contentsOf: [query.limit])
            let packets = try db.rows("SELECT p.* FROM \(from) \(whereClause) ORDER BY p.id DESC LIMIT ?", arguments)
                .map(Self.packet)
            guard !packets.isEmpty else { return [] }
            let placeholders = Array(repeating: "?", count: packets.count).joined(separator: ",")
            let deliveries = try db.rows("SELECT * FROM deliveries WHERE packet_id IN (\(placeholders)) ORDER BY recipient, app_id", StatementArguments(packets.map(\.id.rawValue))
            ).map(Self.delivery)
            let byPacket = Dictionary(grouping: deliveries, by: \.packetID)
            return packets.map { PacketSummary(packet: $0, deliveries: byPacket[$0.id] ?? []) }
        }
    }

    public func dueDeliveries(now: Date, limit: Int) async throws -> [Delivery] {
        try await reading { db in
            try db.rows("""
                    SELECT * FROM deliveries WHERE state = 'uploaded' AND (not_before IS NULL OR not_before <= ?)
                    ORDER BY priority DESC, created_at, packet_id LIMIT ?
                    """, [now.millis, limit]
            ).map(Self.delivery)
        }
    }

    public func waitingDestinations(pastLimitAt now: Date, defaultLimit: TimeInterval, limit: Int) async throws -> [WaitingDestination] {
        try await reading { db in
            try db.rows("""
                    SELECT d.app_id AS app_id, MIN(d.updated_at) AS oldest, COALESCE(a.offline_limit_ms, ?) AS limit_ms, a.last_seen_at AS seen
                    FROM deliveries d JOIN apps a ON a.id = d.app_id
                    WHERE d.state IN ('ready', 'notified')
                    GROUP BY d.app_id
                    HAVING limit_ms > 0 AND oldest <= ? - limit_ms AND (seen IS NULL OR seen <= ? - limit_ms)
                    ORDER BY oldest LIMIT ?
                    """, [Int64((defaultLimit * 1000).rounded()), now.millis, now.millis, limit]
            ).map { row in WaitingDestination(appID: row["app_id"], oldestSince: try stored(row.date("oldest"), "waiting since")) }
        }
    }

    public func waitingDeliveries(appID: String, since: Date, limit: Int) async throws -> [Delivery] {
        try await reading { db in
            try db.rows("""
                    SELECT * FROM deliveries WHERE app_id = ? AND state IN ('ready', 'notified') AND updated_at <= ?
                    ORDER BY updated_at, packet_id LIMIT ?
                    """, [appID, since.millis, limit]
            ).map(Self.delivery)
        }
    }

    public func overdueDeliveries(now: Date, limit: Int) async throws -> [Delivery] {
        try await reading { db in
            try db.rows("SELECT * FROM deliveries WHERE final = 0 AND deadline IS NOT NULL AND deadline <= ? ORDER BY deadline LIMIT ?", [now.millis, limit]
            ).map(Self.delivery)
        }
    }

    public func abandonedUploads(now: Date, limit: Int) async throws -> [PacketID] {
        try await reading { db in
            try db.strings("""
                    SELECT id FROM packets p WHERE state = 'awaiting_upload' AND upload_expires_at <= ?
                        AND EXISTS (SELECT 1 FROM deliveries d WHERE d.packet_id = p.id AND d.final = 0)
                    ORDER BY upload_expires_at LIMIT ?
                    """, [now.millis, limit]
            ).compactMap(PacketID.init)
        }
    }

    public func packetsToPurge(limit: Int) async throws -> [PacketID] {
        try await reading { db in
            try db.strings("""
                    SELECT id FROM packets p WHERE purged_at IS NULL
                        AND NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.packet_id = p.id AND d.final = 0)
                    LIMIT ?
                    """, [limit]
            ).compactMap(PacketID.init)
        }
    }

    public func events(appID: String, after sequence: Int64, limit: Int) async throws -> [HubEvent] {
        try await reading { db in
            try db.rows("SELECT * FROM events WHERE app_id = ? AND seq > ? ORDER BY seq LIMIT ?", [appID, sequence, limit]
            ).map { row in
                HubEvent(
                    sequence: row["seq"], appID: row["app_id"], type: try stored(HubEventType(rawValue: row["type"]), "event type"),
                    packetID: try stored(PacketID(row["packet_id"]), "packet id"), payload: Data((row["payload"] as String).utf8),
                    at: try stored(row.date("at"), "event date"))
            }
        }
    }

    public func latestEventSequence(appID: String) async throws -> Int64 {
        try await reading { db in
            try db.row("SELECT MAX(seq) AS seq FROM events WHERE app_id = ?", [appID])?["seq"] ?? 0
        }
    }

    // MARK: Rows

    private static func recordHistory(
        packetID: PacketID, appID: String, recipient: UnitCode, state: DeliveryState, at: Date, reason: String?, db: Database
    ) throws {
        try db.run("INSERT INTO delivery_history (packet_id, app_id, recipient, state, at, reason) VALUES (?, ?, ?, ?, ?, ?)", [packetID.rawValue, appID, recipient.rawValue, state.rawValue, at.millis, reason])
    }

    static func lostRace(_ change: DeliveryChange, current: DeliveryState?) -> LGSPError {
        guard let current else {
            return LGSPError(.unknownPacket, "packet \(change.packetID) has no delivery to app \(change.appID)")
        }
        if current.isFinal {
            return LGSPError(.deliveryFinal, "the delivery is already \(current.rawValue); it cannot change any more", details: ["state": current.rawValue])
        }
        return LGSPError(.invalidTransition, "the delivery moved to \(current.rawValue) meanwhile; \(change.from.rawValue) → \(change.to.rawValue) no longer applies",
            details: ["state": current.rawValue])
    }

    static func packet(_ row: Row) throws -> Packet {
        let recipients = Self.list(row["recipients"] as String)
        return Packet(
            id: try stored(PacketID(row["id"]), "packet id"), sourceAppID: row["source_app_id"],
            sourceUnit: try stored(UnitCode(lenient: row["source_unit"]), "source unit"),
            recipients: try recipients.map { try stored(UnitCode(lenient: $0), "recipient") }, subject: row["subject"],
            priority: try stored(Priority(rank: row["priority"]), "priority"), dataType: try DataType(row["data_type"] as String),
            exchangeProtocol: row["protocol"],
            content: ContentDescriptor(
                size: row["content_size"], sha256: try ContentDigest(hex: row["content_sha256"] as String), mediaType: row["media_type"]),
            policy: PacketPolicy(notBefore: row.date("not_before"), deadline: row.date("deadline")), idempotencyKey: row["idempotency_key"],
            state: try stored(PacketState(rawValue: row["state"]), "packet state"), createdAt: try stored(row.date("created_at"), "packet date"),
            uploadExpiresAt: try stored(row.date("upload_expires_at"), "upload expiry"), uploadedAt: row.date("uploaded_at"),
            finishedAt: row.date("finished_at"), purgedAt: row.date("purged_at"), originHub: row["origin_hub"],
            redirects: try redirects(row["redirects"]))
    }

    static func delivery(_ row: Row) throws -> Delivery {
        try delivery(row, prefix: "")
    }

    static func delivery(_ row: Row, prefix: String) throws -> Delivery {
        Delivery(
            packetID: try stored(PacketID(row[prefix + "packet_id"]), "packet id"),
            recipient: try stored(UnitCode(lenient: row[prefix + "recipient"]), "recipient"), appID: row[prefix + "app_id"],
            state: try stored(DeliveryState(rawValue: row[prefix + "state"]), "delivery state"),
            updatedAt: try stored(row.date(prefix + "updated_at"), "delivery date"), reason: row[prefix + "reason"],
            downloadExpiresAt: row.date(prefix + "download_expires_at"), variant: try variant(row[prefix + "variant"] as String?))
    }

    /// A delivery's converted variant as stored (JSON), or NULL.
    static func variantText(_ variant: ContentVariant?) throws -> String? {
        guard let variant else { return nil }
        return String(decoding: try JSONEncoder().encode(variant), as: UTF8.self)
    }

    static func variant(_ text: String?) throws -> ContentVariant? {
        guard let text else { return nil }
        return try JSONDecoder().decode(ContentVariant.self, from: Data(text.utf8))
    }
}
