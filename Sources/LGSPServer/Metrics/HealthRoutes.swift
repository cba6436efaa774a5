import Foundation
import Hummingbird
import LGSPCore
import NIOCore

/// `/metrics` (Prometheus text format) and `/readyz` (can this node serve traffic?). Both are
/// unsigned like `/healthz`: metrics hold aggregate numbers only (no unit, app or packet names);
/// keep them from the public internet at the reverse proxy or firewall (see README, Operations).
struct HealthRoutes {
    let hub: Hub
    /// The upstream links `/readyz` reports (nil: no federation file, an empty `upstream`).
    var federation: Federation? = nil

    func register(on router: HubRouter) {
        router.get("/metrics") { _, _ in
            let bytes = try await hub.metrics.render(hub: hub)
            return Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"], body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
        }
        router.get("/readyz") { _, _ in
            var failures: [String: String] = [:]
            do { try await ReadinessDeadline.run("database") { try await hub.store.ping() } } catch { failures["database"] = "\(error)" }
            do { try await ReadinessDeadline.run("audit log") { _ = try await hub.audit.log.head() } } catch { failures["auditLog"] = "\(error)" }
            do { try await hub.blobs.ping() } catch { failures["storage"] = "\(error)" }
            guard failures.isEmpty else {
                throw LGSPError(
                    .unavailable, "not ready: \(failures.keys.sorted().map { "\($0) (\(failures[$0] ?? ""))" }.joined(separator: "; "))",
                    details: failures)
            }
            // Upstream links are reported, never a reason to be unready: local traffic does not wait on them.
            return try JSONBody.response(ReadinessBody(upstream: upstreamLinks()))
        }
    }

    /// Every configured peer link and what it is doing, by peer name.
    func upstreamLinks() -> [ReadinessBody.UpstreamLink] {
        guard let federation else { return [] }
        return federation.configuration.peers.map(\.name).sorted().map { name in
            let link = federation.monitor.link(name)
            return ReadinessBody.UpstreamLink(
                peer: name, state: link.state, breaker: link.breaker.rawValue, lastSuccessAt: link.lastSuccessAt, lastError: link.lastError)
        }
    }
}

/// `GET /readyz` when ready: the checks that passed, and the upstream links as reported (empty without peers).
struct ReadinessBody: Encodable {
    struct UpstreamLink: Encodable {
        var peer: String
        /// `idle` (nothing handed off yet), `up` or `down`.
        var state: String
        /// `closed`, `open` or `half_open`.
        var breaker: String
        var lastSuccessAt: Date?
        var lastError: String?
    }

    var status = "ready"
    var database = "ok"
    var auditLog = "ok"
    var storage = "ok"
    var upstream: [UpstreamLink]
}
