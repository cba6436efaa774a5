import Foundation
import Hummingbird
import LGSPAPI
import LGSPCore

/// Article 9: what waits for the caller, accepting (download space), acknowledging, rejecting.
struct InboxRoutes {
    let hub: Hub

    func register(on router: HubRouter) {
        router.get("/v1/inbox") { request, _ in try await inbox(request) }
        router.post("/v1/packets/{id}/accept") { request, context in try await accept(request, id: try context.parameters.packetID()) }
        router.post("/v1/packets/{id}/ack") { request, context in try await acknowledge(request, id: try context.parameters.packetID()) }
        router.post("/v1/packets/{id}/reject") { request, context in try await reject(request, id: try context.parameters.packetID()) }
    }

    private func inbox(_ request: Request) async throws -> Response {
        let caller = try await hub.authenticated(request)
        let limit = try PacketRoutes.intQuery(request.uri.queryParameters["limit"], name: "limit", default: 100, range: 1...1000)
        let entries = try await hub.exchange.inbox(for: caller, limit: limit)
        return try JSONBody.response(InboxResponse(items: entries.map(InboxItem.init)))
    }

    private func accept(_ request: Request, id: PacketID) async throws -> Response {
        let caller = try await hub.authenticated(request)
        let space = try await hub.exchange.accept(id, by: caller)
        return try JSONBody.response(
            AcceptResponse(
                id: id, download: SpaceBody(url: "\(hub.baseURL(for: request))/v1/packets/\(id)/content", method: "GET", expiresAt: space.expiresAt),
                content: ContentInfo(space.delivery.content(of: space.packet))))
    }

    private func acknowledge(_ request: Request, id: PacketID) async throws -> Response {
        let (caller, body) = try await hub.authenticatedJSON(AckRequest.self, request)
        let digest: ContentDigest
        do { digest = try ContentDigest(hex: body.sha256, field: "sha256") }
        let delivery = try await hub.exchange.acknowledge(id, sha256: digest, by: caller)
        return try JSONBody.response(DeliveryBody(delivery))
    }

    private func reject(_ request: Request, id: PacketID) async throws -> Response {
        let (caller, body) = try await hub.authenticatedJSON(RejectRequest.self, request)
        let delivery = try await hub.exchange.reject(id, reason: body.reason, by: caller)
        return try JSONBody.response(DeliveryBody(delivery))
    }
}
