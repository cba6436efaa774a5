import Foundation
import LGSPCore
import Prometheus

/// The hub's Prometheus metrics (`/metrics`): counters and histograms fed as things happen, gauges
/// read from the store when scraped (so they are right across restarts and nodes).
///
/// Names follow Prometheus conventions: `_total` counters, `_seconds` durations, `_bytes` sizes.
public final class HubMetrics: Sendable {
    public let registry: PrometheusCollectorRegistry
    let packetsCreated: Counter
    let transitions: [DeliveryState: Counter]
    let deliveryLatency: DurationHistogram
    let packetsByState: [PacketState: Gauge]
    let deliveriesByState: [DeliveryState: Gauge]
    let queueDepth: Gauge
    let queueOldestAge: Gauge
    let connections: Gauge
    let deadLetters: Gauge
    let residentMemory: Gauge
    let auditPending: Gauge

    public init() {
        let registry = PrometheusCollectorRegistry()
        self.registry = registry
        func name(_ name: String, _ unit: String, _ help: String) -> MetricNameDescriptor {
            MetricNameDescriptor(namespace: "lgsp", metricName: name, unitName: unit, helpText: help)
        }
        packetsCreated = registry.makeCounter(descriptor: name("packets_created", "total", "Packets created (send requests accepted) since the hub started."))
        let transitionName = name("delivery_transitions", "total", "Deliveries that reached each state since the hub started.")
        transitions = Dictionary(
            uniqueKeysWithValues: DeliveryState.allCases.map { ($0, registry.makeCounter(descriptor: transitionName, labels: [("state", $0.rawValue)])) })
        deliveryLatency = registry.makeDurationHistogram(
            descriptor: name("delivery_latency", "seconds", "From upload complete to the destination's acknowledgement (delivered), per delivery."),
            buckets: [
                .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1), .milliseconds(2500), .seconds(5),
                .seconds(10), .seconds(30), .seconds(60), .seconds(300), .seconds(900), .seconds(3600), .seconds(86400),
            ])
        let packetsName = name("packets", "", "Packets stored, by state.")
        packetsByState = Dictionary(
            uniqueKeysWithValues: PacketState.allCases.map { ($0, registry.makeGauge(descriptor: packetsName, labels: [("state", $0.rawValue)])) })
        let deliveriesName = name("deliveries", "", "Deliveries stored, by state.")
        deliveriesByState = Dictionary(
            uniqueKeysWithValues: DeliveryState.allCases.map { ($0, registry.makeGauge(descriptor: deliveriesName, labels: [("state", $0.rawValue)])) })
        queueDepth = registry.makeGauge(descriptor: name("queue_depth", "", "Deliveries waiting (uploaded, ready or notified)."))
        queueOldestAge = registry.makeGauge(
            descriptor: name("queue_oldest_age", "seconds", "How long the longest-waiting delivery has waited in its state (0 when none waits)."))
        connections = registry.makeGauge(descriptor: name("stream_connections", "", "Open event streams (WebSocket and SSE) on every node."))
        deadLetters = registry.makeGauge(descriptor: name("webhook_dead_letters", "", "Webhook events given up and kept as dead letters."))
        residentMemory = registry.makeGauge(
            descriptor: MetricNameDescriptor(namespace: "process", metricName: "resident_memory", unitName: "bytes", helpText: "Resident memory of the hub process."))
        auditPending = registry.makeGauge(descriptor: name("audit_pending_records", "", "Audit records queued and not yet written."))
    }

    /// Counts an authentication or authorisation failure by its error code.
    func authFailure(_ code: ErrorCode) {
        let name = MetricNameDescriptor(
            namespace: "lgsp", metricName: "auth_failures", unitName: "total", helpText: "Requests refused by authentication or authorisation, by error code.")
        registry.makeCounter(descriptor: name, labels: [("code", code.rawValue)]).increment()
    }

    /// Refreshes the gauges from the store and the process, then renders the exposition text.
    func render(hub: Hub) async throws -> [UInt8] {
        let figures = try await hub.store.figures()
        for (state, gauge) in packetsByState { gauge.set(Double(figures.packetsByState[state.rawValue] ?? 0)) }
        for (state, gauge) in deliveriesByState { gauge.set(Double(figures.deliveriesByState[state.rawValue] ?? 0)) }
        queueDepth.set(Double(figures.queueDepth))
        queueOldestAge.set(figures.oldestWaitingSince.map { max(0, hub.clock.now().timeIntervalSince($0)) } ?? 0)
        connections.set(Double(figures.openConnections))
        deadLetters.set(Double(figures.deadLetters))
        residentMemory.set(Double(ProcessMemory.read().resident ?? 0))
        auditPending.set(Double(hub.audit.pendingCount))
        var buffer: [UInt8] = []
        buffer.reserveCapacity(8192)
        registry.emit(into: &buffer)
        return buffer
    }
}
