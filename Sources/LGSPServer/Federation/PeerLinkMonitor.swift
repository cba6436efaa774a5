import Foundation
import LGSPAPI
import LGSPCore
import Prometheus
import Synchronization

/// What every peer link is doing, for `GET /v1/admin/peers` and the per-peer gauges of `/metrics`
/// (`lgsp_peer_link_up`, `lgsp_peer_breaker_open`, `lgsp_peer_queue_depth`, `lgsp_peer_queue_lag_seconds`).
final class PeerLinkMonitor: Sendable {
    struct Link: Sendable {
        var state = "idle"
        var breaker = CircuitBreaker.State.closed
        var consecutiveFailures = 0
        var lastError: String?
        var lastSuccessAt: Date?
        var handedOff = 0
        var statusReportsSent = 0
        var statusError: String?
    }

    private let links = Mutex<[String: Link]>([:])
    private let registry: PrometheusCollectorRegistry

    init(registry: PrometheusCollectorRegistry) {
        self.registry = registry
    }

    func update(_ peer: String, _ change: (inout Link) -> Void) {
        let link = links.withLock { links in
            change(&links[peer, default: Link()])
            return links[peer]!
        }
        gauge("peer_link_up", "", "1 while the last hand-off or probe to the peer worked, else 0.", peer).set(to: link.state == "up" ? 1.0 : 0.0)
        gauge("peer_breaker_open", "", "1 while the peer link's circuit breaker is open or half-open.", peer).set(to: link.breaker == .closed ? 0.0 : 1.0)
    }

    func link(_ peer: String) -> Link { links.withLock { $0[peer] ?? Link() } }

    /// Records the queue's figures in the gauges.
    func queue(_ peer: String, _ figures: PeerQueueFigures, now: Date) {
        gauge("peer_queue_depth", "", "Deliveries waiting for the peer link to hand them off.", peer).set(Double(figures.depth))
        gauge("peer_queue_lag", "seconds", "How long the oldest delivery waiting for the peer link has waited (0 when none).", peer)
            .set(figures.oldestSince.map { max(0, now.timeIntervalSince($0)) } ?? 0)
    }

    private func gauge(_ name: String, _ unit: String, _ help: String, _ peer: String) -> Gauge {
        registry.makeGauge(
            descriptor: MetricNameDescriptor(namespace: "lgsp", metricName: name, unitName: unit, helpText: help), labels: [("peer", peer)])
    }
}
