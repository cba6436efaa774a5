import Foundation
import LGSPAPI
import LGSPCore

/// Report values in their wire form.
extension UnitReportResponse {
    init(_ report: UnitReportSet) {
        self.init(
            from: report.period.from, to: report.period.to, generatedAt: report.generatedAt, observedUntil: report.observedUntil,
            items: report.units.map(UnitReportBody.init))
    }
}

extension UnitReportBody {
    init(_ report: UnitReport) {
        let connections = report.connections
        self.init(
            unit: report.unit, name: report.name, sent: TrafficBody(report.sent), received: TrafficBody(report.received),
            connections: ConnectionStatsBody(
                connects: connections.connects, disconnects: connections.disconnects, connectedMillis: connections.connectedMillis,
                observedMillis: connections.observedMillis, onlineRatio: connections.onlineRatio))
    }
}

extension TrafficBody {
    init(_ figures: TrafficFigures) {
        let outcomes = figures.outcomes
        self.init(
            packets: figures.packets, bytes: figures.bytes,
            deliveries: DeliveryOutcomesBody(
                delivered: outcomes.delivered, rejected: outcomes.rejected, expired: outcomes.expired, undeliverable: outcomes.undeliverable,
                transformFailed: outcomes.transformFailed, open: outcomes.open),
            deliveryTime: DeliveryTimeBody(medianMillis: figures.medianDeliveryMillis, p95Millis: figures.p95DeliveryMillis))
    }
}

extension ConnectionHistoryResponse {
    init(_ history: ConnectionHistory) {
        self.init(
            unit: history.unit, from: history.period.from, to: history.period.to, generatedAt: history.generatedAt,
            items: history.entries.map { entry in
                let connection = entry.connection
                return ConnectionHistoryItem(
                    id: connection.id, appId: connection.appID, appName: entry.appName, channel: connection.channel.rawValue, node: connection.node,
                    address: connection.address, connectedAt: connection.connectedAt, disconnectedAt: connection.disconnectedAt)
            })
    }
}
