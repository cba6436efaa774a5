import Foundation
import Hummingbird
import LGSPAPI
import LGSPAuth
import LGSPCore

/// The federation ingress (`/v1/federation/…`, peer hubs only) and the peer links' status
/// (`GET /v1/admin/peers`, administrators).
///
/// A hand-off is: `POST /v1/federation/packets` (the offer, same packet id, digest and priority) →
/// `201 awaiting_content` with the packet's upload space → `PUT` the content there (the ordinary
/// upload, digest checked) → the same offer again → `200 held` with a signed receipt. An offer of a
/// packet already held answers `held` at once (duplicates are suppressed by packet id).
struct FederationRoutes {
    let hub: Hub
    let federation: Federation?

    func register(on router: HubRouter) {
        router.post("/v1/federation/packets") { request, _ in try await offer(request) }
        router.post("/v1/federation/status") { request, _ in try await status(request) }
        router.get("/v1/admin/peers") { request, _ in try await peers(request) }
    }

    private func offer(_ request: Request) async throws -> Response {
        let (caller, offer) = try await hub.authenticatedJSON(HandOffOffer.self, request)
        switch try await hub.exchange.receiveHandOff(offer, from: caller) {
        case .awaitingContent(let packet, let refused):
            let upload = SpaceBody(url: "\(hub.baseURL(for: request))/v1/packets/\(packet.id)/upload", method: "PUT", expiresAt: packet.uploadExpiresAt)
            return try JSONBody.response(
                HandOffAnswer(state: HandOffAnswer.awaitingContent, id: packet.id, upload: upload, receipt: nil, accepted: packet.recipients, refused: refused),
                status: .created)
        case .held(let packet, let accepted, let refused):
            let claims = HandOffReceiptClaims(
                issuer: hub.configuration.exchange.hubName, peer: caller.app.name, packet: packet, recipients: accepted, issuedAt: hub.clock.now())
            let receipt = try await hub.sessions.sign(payload: claims)
            return try JSONBody.response(
                HandOffAnswer(state: HandOffAnswer.held, id: packet.id, upload: nil, receipt: receipt, accepted: accepted, refused: refused))
        }
    }

    private func status(_ request: Request) async throws -> Response {
        let (caller, body) = try await hub.authenticatedJSON(StatusReportRequest.self, request)
        let applied = try await hub.exchange.applyRemoteStatus(body.reports, from: caller)
        return try JSONBody.response(StatusReportResponse(applied: applied))
    }

    private func peers(_ request: Request) async throws -> Response {
        let caller = try await hub.authenticated(request)
        try caller.requireAdmin(for: "listing peer links")
        guard let federation else {
            return try JSONBody.response(PeerListResponse(hub: hub.configuration.exchange.hubName, role: HubRole.provincial.rawValue, items: []))
        }
        let now = hub.clock.now()
        var items: [PeerStatusBody] = []
        for peer in federation.configuration.peers {
            let link = federation.monitor.link(peer.name)
            let figures = try await federation.links.queueFigures(peer: peer.name)
            items.append(
                PeerStatusBody(
                    name: peer.name, url: peer.url, serves: peer.serves.map(\.description), state: link.state, breaker: link.breaker.rawValue,
                    consecutiveFailures: link.consecutiveFailures, queueDepth: figures.depth,
                    oldestQueuedSeconds: figures.oldestSince.map { max(0, now.timeIntervalSince($0)) } ?? 0,
                    lastError: link.lastError ?? link.statusError, lastSuccessAt: link.lastSuccessAt, handedOff: link.handedOff,
                    statusReportsSent: link.statusReportsSent, statusCursor: try await federation.links.statusCursor(peer: peer.name)))
        }
        return try JSONBody.response(
            PeerListResponse(hub: hub.configuration.exchange.hubName, role: federation.configuration.role.rawValue, items: items))
    }
}
