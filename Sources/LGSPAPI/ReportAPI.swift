import Foundation
import LGSPCore

/// `GET /v1/reports/units`: statistics per unit over `[from, to)`, computed with the hub's clock.
/// Every figure is defined in `LGSPCore` (`ReportStore`, `ConnectionFigures`, `NearestRank`) and in the README.
public struct UnitReportResponse: Codable, Sendable, Hashable {
    public var from: Date
    public var to: Date
    /// The hub's clock when the report was computed.
    public var generatedAt: Date
    /// `min(to, generatedAt)`: connection figures cover `[from, observedUntil)`.
    public var observedUntil: Date
    /// One entry per unit, ordered by unit code.
    public var items: [UnitReportBody]

    public init(from: Date, to: Date, generatedAt: Date, observedUntil: Date, items: [UnitReportBody]) {
        self.from = from
        self.to = to
        self.generatedAt = generatedAt
        self.observedUntil = observedUntil
        self.items = items
    }
}

/// One unit's statistics.
public struct UnitReportBody: Codable, Sendable, Hashable {
    public var unit: UnitCode
    /// The unit's Vietnamese name; absent for a code no longer in the directory.
    public var name: String?
    /// The unit as the source of packets.
    public var sent: TrafficBody
    /// The unit as the recipient of packets.
    public var received: TrafficBody
    public var connections: ConnectionStatsBody

    public init(unit: UnitCode, name: String?, sent: TrafficBody, received: TrafficBody, connections: ConnectionStatsBody) {
        self.unit = unit
        self.name = name
        self.sent = sent
        self.received = received
        self.connections = connections
    }
}

/// One direction of a unit's traffic.
public struct TrafficBody: Codable, Sendable, Hashable {
    public var packets: Int
    public var bytes: Int64
    public var deliveries: DeliveryOutcomesBody
    public var deliveryTime: DeliveryTimeBody

    public init(packets: Int, bytes: Int64, deliveries: DeliveryOutcomesBody, deliveryTime: DeliveryTimeBody) {
        self.packets = packets
        self.bytes = bytes
        self.deliveries = deliveries
        self.deliveryTime = deliveryTime
    }
}

/// Deliveries by the final state they entered in the period, and those open at its end.
public struct DeliveryOutcomesBody: Codable, Sendable, Hashable {
    public var delivered: Int
    public var rejected: Int
    public var expired: Int
    public var undeliverable: Int
    public var transformFailed: Int
    public var open: Int

    public init(delivered: Int, rejected: Int, expired: Int, undeliverable: Int, transformFailed: Int, open: Int) {
        self.delivered = delivered
        self.rejected = rejected
        self.expired = expired
        self.undeliverable = undeliverable
        self.transformFailed = transformFailed
        self.open = open
    }
}

/// Packet created → delivered, over the deliveries delivered in the period (nearest-rank percentiles);
/// the members are absent when there were none.
public struct DeliveryTimeBody: Codable, Sendable, Hashable {
    public var medianMillis: Int64?
    public var p95Millis: Int64?

    public init(medianMillis: Int64?, p95Millis: Int64?) {
        self.medianMillis = medianMillis
        self.p95Millis = p95Millis
    }
}

/// Connects, disconnects and online time in the period.
public struct ConnectionStatsBody: Codable, Sendable, Hashable {
    public var connects: Int
    public var disconnects: Int
    /// Time with at least one connection of the unit open, within `[from, observedUntil)`.
    public var connectedMillis: Int64
    /// The length of `[from, observedUntil)`.
    public var observedMillis: Int64
    /// `connectedMillis / observedMillis`; absent when `observedMillis` is 0.
    public var onlineRatio: Double?

    public init(connects: Int, disconnects: Int, connectedMillis: Int64, observedMillis: Int64, onlineRatio: Double?) {
        self.connects = connects
        self.disconnects = disconnects
        self.connectedMillis = connectedMillis
        self.observedMillis = observedMillis
        self.onlineRatio = onlineRatio
    }
}

/// `GET /v1/reports/units/{code}/connections`: a unit's connections overlapping `[from, to)`, oldest first.
public struct ConnectionHistoryResponse: Codable, Sendable, Hashable {
    public var unit: UnitCode
    public var from: Date
    public var to: Date
    /// The hub's clock when the history was read; a connection without `disconnectedAt` was open then.
    public var generatedAt: Date
    public var items: [ConnectionHistoryItem]

    public init(unit: UnitCode, from: Date, to: Date, generatedAt: Date, items: [ConnectionHistoryItem]) {
        self.unit = unit
        self.from = from
        self.to = to
        self.generatedAt = generatedAt
        self.items = items
    }
}

/// One connection of an app to the hub.
public struct ConnectionHistoryItem: Codable, Sendable, Hashable {
    public var id: String
    public var appId: String
    public var appName: String?
    /// `websocket` or `sse`.
    public var channel: String
    /// The hub node that held the connection.
    public var node: String
    /// The client's address as that node saw it.
    public var address: String
    public var connectedAt: Date
    /// Absent while the connection is open.
    public var disconnectedAt: Date?

    public init(
        id: String, appId: String, appName: String?, channel: String, node: String, address: String, connectedAt: Date, disconnectedAt: Date?
    ) {
        self.id = id
        self.appId = appId
        self.appName = appName
        self.channel = channel
        self.node = node
        self.address = address
        self.connectedAt = connectedAt
        self.disconnectedAt = disconnectedAt
    }
}
