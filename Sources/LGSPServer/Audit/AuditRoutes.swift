import Foundation
import Hummingbird
import LGSPAPI
import LGSPCore

/// `GET /v1/admin/audit?from&to&after&limit`: the audit log for a period, oldest first, paged by
/// sequence (administrators only). Queued records are written first, so the answer includes them.
struct AuditRoutes {
    let hub: Hub

    func register(on router: HubRouter) {
        router.get("/v1/admin/audit") { request, _ in
            let caller = try await hub.authenticated(request)
            try caller.requireAdmin(for: "reading the audit log")
            let query = request.uri.queryParameters
            let from = try query["from"].map { try PacketRoutes.dateQuery($0, name: "from") }
            let to = try query["to"].map { try PacketRoutes.dateQuery($0, name: "to") }
            let limit = try PacketRoutes.intQuery(query["limit"], name: "limit", default: 1000, range: 1...10_000)
            let after = Int64(try PacketRoutes.intQuery(query["after"], name: "after", default: 0, range: 0...Int.max))
            try? await hub.audit.flush()
            let entries = try await hub.audit.log.entries(from: from, to: to, after: after, limit: limit)
            return try JSONBody.response(
                AuditListResponse(items: entries.map(AuditEntryBody.init), next: entries.count == limit ? entries.last?.sequence : nil))
        }
    }
}
