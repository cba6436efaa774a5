import Foundation
import Hummingbird
import LGSPCore
import NIOCore

/// `/metrics` (Prometheus text format) and `/readyz` (can this node serve traffic?). Both are
/// unsigned like `/healthz`: metrics hold aggregate numbers only (no unit, app or packet names);
/// keep them from the public internet at the reverse proxy or firewall (see README, Operations).
struct HealthRoutes {
    let hub: Hub

    func register(on router: HubRouter) {
        router.get("/metrics") { _, _ in
            let bytes = try await hub.metrics.render(hub: hub)
            return Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"], body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
        }
        router.get("/readyz") { _, _ in
            var failures: [String: String] = [:]
            do { try await hub.store.ping() } catch { failures["database"] = "\(error)" }
            do { _ = try await hub.audit.log.head() } catch { failures["auditLog"] = "\(error)" }
            do { try await hub.blobs.ping() } catch { failures["storage"] = "\(error)" }
            guard failures.isEmpty else {
                throw LGSPError(
                    .unavailable, "not ready: \(failures.keys.sorted().map { "\($0) (\(failures[$0] ?? ""))" }.joined(separator: "; "))",
                    details: failures)
            }
            return try JSONBody.response(["status": "ready", "database": "ok", "auditLog": "ok", "storage": "ok"])
        }
    }
}
