import Foundation
import LGSPCore
import PostgresNIO

/// Packets, deliveries, history and events (`PacketStore`) on PostgreSQL, shared by every node.
///
/// - `apply` is the compare-and-set of the contract: in one transaction each delivery row is locked
///   with `SELECT … FOR UPDATE` and changed only if it is still in `change.from`. Two nodes racing on
///   the same delivery (due work, an accept, an expiry) serialise on that row lock; the second sees the
///   first one's state and fails with `exchange.invalid_transition`/`exchange.delivery_final`, so work
///   read by several nodes' maintenance passes is done exactly once.
/// - Events get increasing sequence numbers in commit order per app (what readers rely on: a stream
///   reads `seq > cursor` of its app). A plain sequence is not commit-ordered: transaction A may take
///   seq 10, B seq 11, B commit first, a reader move its cursor to 11 and never see 10. So before
///   inserting events the transaction takes a transaction-level advisory lock per app (in sorted order:
///   no deadlock between two writers), held until COMMIT, and only then draws the sequence numbers:
///   a later writer for the same app waits for the earlier one's commit and draws higher numbers.
extension PostgresStore: PacketStore {
    public func insert(_ packet: Packet, deliveries: [Delivery], sealedContentKey: Data) async throws -> PacketInsertOutcome {
        do {
            return try await insertOnce(packet, deliveries: deliveries, sealedContentKey: sealedContentKey)
        } catch let error as UniqueViolation {
            guard packet.idempotencyKey != nil else { throw Self.storageError(error.underlying, doing: "store a packet") }
            // Two sends with one idempotency key at once: the unique index let one in; answer with it.
            if let existing = try await rows(
                "SELECT id FROM packets WHERE source_app_id = \(packet.sourceAppID) AND idempotency_key = \(packet.idempotencyKey)"
            ).first {
                return .existing(try stored(PacketID(try existing.string("id")), "packet id"))
            }
            throw Self.storageError(error.underlying, doing: "store a packet")
        }
    }

    private func insertOnce(_ packet: Packet, deliveries: [Delivery], sealedContentKey: Data) async throws -> PacketInsertOutcome {
        let redirects = try SQLiteStore.redirectsText(packet.redirects)
        return try await transaction(passingUniqueViolations: true) { tx in
            if let key = packet.idempotencyKey,
                let existing = try await tx.rows("SELECT id FROM packets WHERE source_app_id = \(packet.sourceAppID) AND idempotency_key = \(key)").first
            {
                return .existing(try stored(PacketID(try existing.string("id")), "packet id"))
            }
            try await tx.run(
                """
                INSERT INTO packets (id, source_app_id, source_unit, recipients, subject, priority, data_type, protocol,
                    content_size, content_sha256, media_type, not_before, deadline, idempotency_key, state, sealed_key,
                    created_at, upload_expires_at, uploaded_at, finished_at, purged_at, origin_hub, redirects)
                VALUES (\(packet.id.rawValue), \(packet.sourceAppID), \(packet.sourceUnit.rawValue),
                    \(SQLiteStore.list(packet.recipients.map(\.rawValue))), \(packet.subject), \(Int64(packet.priority.rank)),
                    \(packet.dataType.rawValue), \(packet.exchangeProtocol), \(packet.content.size), \(packet.content.sha256.hex),
                    \(packet.content.mediaType), \(packet.policy.notBefore?.millis), \(packet.policy.deadline?.millis), \(packet.idempotencyKey),
                    \(packet.state.rawValue), \(sealedContentKey), \(packet.createdAt.millis), \(packet.uploadExpiresAt.millis),
                    \(packet.uploadedAt?.millis), \(packet.finishedAt?.millis), \(packet.purgedAt?.millis), \(packet.originHub), \(redirects))
                """)
            guard !deliveries.isEmpty else { return .inserted }
            // One statement for every delivery and one for their history (unnest of arrays): a packet to
            // 50 recipients costs two round trips, not a hundred. Arrays hold no NULLs here: '' and -1
            // stand for "none" (a delivery's reason is never empty, an expiry never negative).
            try await tx.run(
                """
                INSERT INTO deliveries (packet_id, app_id, recipient, state, final, priority, created_at, not_before, deadline,
                    updated_at, reason, download_expires_at)
                SELECT \(packet.id.rawValue), d.app_id, d.recipient, d.state, d.final, \(Int64(packet.priority.rank)), \(packet.createdAt.millis),
                    \(packet.policy.notBefore?.millis), \(packet.policy.deadline?.millis), d.updated_at, NULLIF(d.reason, ''), NULLIF(d.expires, -1)
                FROM unnest(\(deliveries.map(\.appID))::text[], \(deliveries.map(\.recipient.rawValue))::text[],
                    \(deliveries.map(\.state.rawValue))::text[], \(deliveries.map(\.state.isFinal))::boolean[],
                    \(deliveries.map(\.updatedAt.millis))::bigint[], \(deliveries.map { $0.reason ?? "" })::text[],
                    \(deliveries.map { $0.downloadExpiresAt?.millis ?? -1 })::bigint[])
                    AS d(app_id, recipient, state, final, updated_at, reason, expires)
                """)
            try await tx.run(
                """
                INSERT INTO delivery_history (packet_id, app_id, recipient, state, at, reason)
                SELECT \(packet.id.rawValue), h.app_id, h.recipient, h.state, h.at, NULLIF(h.reason, '')
                FROM unnest(\(deliveries.map(\.appID))::text[], \(deliveries.map(\.recipient.rawValue))::text[],
                    \(deliveries.map(\.state.rawValue))::text[], \(deliveries.map(\.updatedAt.millis))::bigint[],
                    \(deliveries.map { $0.reason ?? "" })::text[]) WITH ORDINALITY AS h(app_id, recipient, state, at, reason, n)
                ORDER BY h.n
                """)
            return .inserted
        }
    }

    public func packet(_ id: PacketID) async throws -> Packet? {
        try await rows("SELECT * FROM packets WHERE id = \(id.rawValue)").first.map(Self.packet)
    }

    public func record(_ id: PacketID) async throws -> PacketRecord? {
        // One round trip: the packet with its deliveries joined (one row per delivery, or one with NULLs).
        let found = try await rows(
            """
            SELECT p.*, d.packet_id AS d_packet_id, d.app_id AS d_app_id, d.recipient AS d_recipient, d.state AS d_state,
                d.updated_at AS d_updated_at, d.reason AS d_reason, d.download_expires_at AS d_download_expires_at, d.variant AS d_variant
            FROM packets p LEFT JOIN deliveries d ON d.packet_id = p.id
            WHERE p.id = \(id.rawValue)
            ORDER BY d.recipient, d.app_id
            """)
        guard let first = found.first else { return nil }
        let deliveries = try found.filter { try $0.optionalString("d_packet_id") != nil }.map { try Self.delivery($0, prefix: "d_") }
        return PacketRecord(packet: try Self.packet(first), deliveries: deliveries, sealedContentKey: try first.optionalData("sealed_key"))
    }

    public func deliveries(of id: PacketID) async throws -> [Delivery] {
        try await rows("SELECT * FROM deliveries WHERE packet_id = \(id.rawValue) ORDER BY recipient, app_id").map(Self.delivery)
    }

    public func history(of id: PacketID) async throws -> [DeliveryHistoryEntry] {
        try await rows("SELECT * FROM delivery_history WHERE packet_id = \(id.rawValue) ORDER BY seq").map { row in
            DeliveryHistoryEntry(
                packetID: id, recipient: try stored(UnitCode(lenient: try row.string("recipient")), "recipient"), appID: try row.string("app_id"),
                state: try stored(DeliveryState(rawValue: try row.string("state")), "delivery state"), at: try row.date("at"),
                reason: try row.optionalString("reason"))
        }
    }

    public func sealedContentKey(of id: PacketID) async throws -> Data? {
        try await rows("SELECT sealed_key FROM packets WHERE id = \(id.rawValue)").first?.optionalData("sealed_key")
    }

    public func apply(_ changes: [DeliveryChange], packetUpdate: PacketUpdate?, events: [HubEvent]) async throws {
        let variants = try changes.map { try SQLiteStore.variantText($0.variant) }
        try await transaction { tx in
            for (change, variant) in zip(changes, variants) {
                // The compare: lock the row, then check its state (see the type's comment).
                let current = try await tx.rows(
                    "SELECT state, recipient FROM deliveries WHERE packet_id = \(change.packetID.rawValue) AND app_id = \(change.appID) FOR UPDATE"
                ).first
                let state = try current.map { try $0.string("state") }.flatMap(DeliveryState.init(rawValue:))
                guard let current, state == change.from else { throw SQLiteStore.lostRace(change, current: state) }
                try await tx.run(
                    """
                    UPDATE deliveries SET state = \(change.to.rawValue), final = \(change.to.isFinal), updated_at = \(change.at.millis),
                        reason = \(change.reason), download_expires_at = COALESCE(\(change.downloadExpiresAt?.millis), download_expires_at),
                        variant = COALESCE(\(variant), variant)
                    WHERE packet_id = \(change.packetID.rawValue) AND app_id = \(change.appID)
                    """)
                if change.from != change.to {
                    try await tx.run(
                        """
                        INSERT INTO delivery_history (packet_id, app_id, recipient, state, at, reason)
                        VALUES (\(change.packetID.rawValue), \(change.appID), \(try current.string("recipient")), \(change.to.rawValue),
                            \(change.at.millis), \(change.reason))
                        """)
                }
            }
            if let update = packetUpdate {
                try await tx.run(
                    """
                    UPDATE packets SET state = COALESCE(\(update.state?.rawValue), state), uploaded_at = COALESCE(\(update.uploadedAt?.millis), uploaded_at),
                        finished_at = COALESCE(\(update.finishedAt?.millis), finished_at)
                    WHERE id = \(update.id.rawValue)
                    """)
                if let purgedAt = update.purgedAt {
                    // The purge destroys the per-packet key: any ciphertext left anywhere is unreadable.
                    try await tx.run(
                        "UPDATE packets SET sealed_key = NULL, purged_at = COALESCE(purged_at, \(purgedAt.millis)) WHERE id = \(update.id.rawValue)")
                }
            }
            try await Self.appendEvents(events, tx)
        }
    }

    /// Inserts events in commit order per app (see the type's comment); call inside a transaction.
    static func appendEvents(_ events: [HubEvent], _ tx: PGTransaction) async throws {
        guard !events.isEmpty else { return }
        for appID in Set(events.map(\.appID)).sorted() {
            try await tx.run("SELECT pg_advisory_xact_lock(\(Self.eventLockClass), hashtext(\(appID)))")
        }
        try await tx.run(
            """
            INSERT INTO events (app_id, type, packet_id, payload, at)
            SELECT e.app_id, e.type, e.packet_id, e.payload, e.at
            FROM unnest(\(events.map(\.appID))::text[], \(events.map(\.type.rawValue))::text[], \(events.map(\.packetID.rawValue))::text[],
                \(events.map { String(decoding: $0.payload, as: UTF8.self) })::text[], \(events.map(\.at.millis))::bigint[])
                WITH ORDINALITY AS e(app_id, type, packet_id, payload, at, n)
            ORDER BY e.n
            """)
    }

    /// The first key of the per-app event locks (`pg_advisory_xact_lock(int, int)`): "ev" in ASCII.
    static let eventLockClass: Int32 = 0x6576

    public func inbox(appID: String, limit: Int) async throws -> [InboxEntry] {
        try await rows(
            """
            SELECT d.packet_id AS d_packet_id, d.app_id AS d_app_id, d.recipient AS d_recipient, d.state AS d_state,
                d.updated_at AS d_updated_at, d.reason AS d_reason, d.download_expires_at AS d_download_expires_at,
                d.variant AS d_variant, p.*
            FROM deliveries d JOIN packets p ON p.id = d.packet_id
            WHERE d.app_id = \(appID) AND d.state IN ('ready', 'notified', 'accepted')
            ORDER BY d.priority DESC, d.created_at, d.packet_id
            LIMIT \(Int64(limit))
            """
        ).map { row in InboxEntry(packet: try Self.packet(row), delivery: try Self.delivery(row, prefix: "d_")) }
    }

    public func packets(_ query: PacketQuery) async throws -> [PacketSummary] {
        var binds = PostgresBindings()
        func bind<T: PostgresDynamicTypeEncodable>(_ value: T) -> String {
            binds.append(value)
            return "$\(binds.count)"
        }
        var conditions: [String] = []
        var from = "packets p"
        switch query.role {
        case .sent(let appID):
            conditions.append("p.source_app_id = \(bind(appID))")
        case .received(let appID):
            from = "packets p JOIN deliveries r ON r.packet_id = p.id AND r.app_id = \(bind(appID))"
        case .all:
            break
        }
        if let dataType = query.dataType { conditions.append("p.data_type = \(bind(dataType.rawValue))") }
        if let since = query.since { conditions.append("p.created_at >= \(bind(since.millis))") }
        if let until = query.until { conditions.append("p.created_at < \(bind(until.millis))") }
        if let before = query.before { conditions.append("p.id < \(bind(before.rawValue))") }
        if let key = query.idempotencyKey { conditions.append("p.idempotency_key = \(bind(key))") }
        let whereClause = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
        let sql = "SELECT p.* FROM \(from) \(whereClause) ORDER BY p.id DESC LIMIT \(bind(Int64(query.limit)))"
        let packets = try await rows(PostgresQuery(unsafeSQL: sql, binds: binds)).map(Self.packet)
        guard !packets.isEmpty else { return [] }
        let deliveries = try await rows(
            "SELECT * FROM deliveries WHERE packet_id = ANY(\(packets.map(\.id.rawValue))) ORDER BY recipient, app_id"
        ).map(Self.delivery)
        let byPacket = Dictionary(grouping: deliveries, by: \.packetID)
        return packets.map { PacketSummary(packet: $0, deliveries: byPacket[$0.id] ?? []) }
    }

    public func dueDeliveries(now: Date, limit: Int) async throws -> [Delivery] {
        try await rows(
            """
            SELECT * FROM deliveries WHERE state = 'uploaded' AND (not_before IS NULL OR not_before <= \(now.millis))
            ORDER BY priority DESC, created_at, packet_id LIMIT \(Int64(limit))
            """
        ).map(Self.delivery)
    }

    public func waitingDestinations(pastLimitAt now: Date, defaultLimit: TimeInterval, limit: Int) async throws -> [WaitingDestination] {
        try await rows(
            """
            SELECT app_id, oldest FROM (
                SELECT d.app_id AS app_id, MIN(d.updated_at) AS oldest, COALESCE(a.offline_limit_ms, \(Int64((defaultLimit * 1000).rounded()))) AS limit_ms,
                    a.last_seen_at AS seen
                FROM deliveries d JOIN apps a ON a.id = d.app_id
                WHERE d.state IN ('ready', 'notified')
                GROUP BY d.app_id, a.offline_limit_ms, a.last_seen_at
            ) w
            WHERE limit_ms > 0 AND oldest <= \(now.millis) - limit_ms AND (seen IS NULL OR seen <= \(now.millis) - limit_ms)
            ORDER BY oldest LIMIT \(Int64(limit))
            """
        ).map { row in WaitingDestination(appID: try row.string("app_id"), oldestSince: try row.date("oldest")) }
    }

    public func waitingDeliveries(appID: String, since: Date, limit: Int) async throws -> [Delivery] {
        try await rows(
            """
            SELECT * FROM deliveries WHERE app_id = \(appID) AND state IN ('ready', 'notified') AND updated_at <= \(since.millis)
            ORDER BY updated_at, packet_id LIMIT \(Int64(limit))
            """
        ).map(Self.delivery)
    }

    public func overdueDeliveries(now: Date, limit: Int) async throws -> [Delivery] {
        try await rows(
            "SELECT * FROM deliveries WHERE NOT final AND deadline IS NOT NULL AND deadline <= \(now.millis) ORDER BY deadline LIMIT \(Int64(limit))"
        ).map(Self.delivery)
    }

    public func abandonedUploads(now: Date, limit: Int) async throws -> [PacketID] {
        try await rows(
            """
            SELECT id FROM packets p WHERE state = 'awaiting_upload' AND upload_expires_at <= \(now.millis)
                AND EXISTS (SELECT 1 FROM deliveries d WHERE d.packet_id = p.id AND NOT d.final)
            ORDER BY upload_expires_at LIMIT \(Int64(limit))
            """
        ).compactMap { PacketID(try $0.string("id")) }
    }

    public func packetsToPurge(limit: Int) async throws -> [PacketID] {
        try await rows(
            """
            SELECT id FROM packets p WHERE purged_at IS NULL
                AND NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.packet_id = p.id AND NOT d.final)
            LIMIT \(Int64(limit))
            """
        ).compactMap { PacketID(try $0.string("id")) }
    }

    public func events(appID: String, after sequence: Int64, limit: Int) async throws -> [HubEvent] {
        try await rows(PostgresStatements.EventsAfter(appID: appID, after: sequence, limit: Int64(limit))).map { row in
            HubEvent(
                sequence: try row.int64("seq"), appID: try row.string("app_id"),
                type: try stored(HubEventType(rawValue: try row.string("type")), "event type"),
                packetID: try stored(PacketID(try row.string("packet_id")), "packet id"), payload: Data(try row.string("payload").utf8),
                at: try row.date("at"))
        }
    }

    public func latestEventSequence(appID: String) async throws -> Int64 {
        try await rows(PostgresStatements.LatestEventSequence(appID: appID)).first?.optionalInt64("seq") ?? 0
    }

    // MARK: Rows

    static func packet(_ row: PGRow) throws -> Packet {
        Packet(
            id: try stored(PacketID(try row.string("id")), "packet id"), sourceAppID: try row.string("source_app_id"),
            sourceUnit: try stored(UnitCode(lenient: try row.string("source_unit")), "source unit"),
            recipients: try SQLiteStore.list(try row.string("recipients")).map { try stored(UnitCode(lenient: $0), "recipient") },
            subject: try row.string("subject"), priority: try stored(Priority(rank: try row.int("priority")), "priority"),
            dataType: try DataType(try row.string("data_type")), exchangeProtocol: try row.string("protocol"),
            content: ContentDescriptor(
                size: try row.int64("content_size"), sha256: try ContentDigest(hex: try row.string("content_sha256")),
                mediaType: try row.string("media_type")),
            policy: PacketPolicy(notBefore: try row.optionalDate("not_before"), deadline: try row.optionalDate("deadline")),
            idempotencyKey: try row.optionalString("idempotency_key"),
            state: try stored(PacketState(rawValue: try row.string("state")), "packet state"), createdAt: try row.date("created_at"),
            uploadExpiresAt: try row.date("upload_expires_at"), uploadedAt: try row.optionalDate("uploaded_at"),
            finishedAt: try row.optionalDate("finished_at"), purgedAt: try row.optionalDate("purged_at"), originHub: try row.string("origin_hub"),
            redirects: try SQLiteStore.redirects(try row.optionalString("redirects")))
    }

    static func delivery(_ row: PGRow) throws -> Delivery {
        try delivery(row, prefix: "")
    }

    static func delivery(_ row: PGRow, prefix: String) throws -> Delivery {
        Delivery(
            packetID: try stored(PacketID(try row.string(prefix + "packet_id")), "packet id"),
            recipient: try stored(UnitCode(lenient: try row.string(prefix + "recipient")), "recipient"), appID: try row.string(prefix + "app_id"),
            state: try stored(DeliveryState(rawValue: try row.string(prefix + "state")), "delivery state"),
            updatedAt: try row.date(prefix + "updated_at"), reason: try row.optionalString(prefix + "reason"),
            downloadExpiresAt: try row.optionalDate(prefix + "download_expires_at"),
            variant: try SQLiteStore.variant(try row.optionalString(prefix + "variant")))
    }
}
