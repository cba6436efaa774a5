import AsyncHTTPClient
import Foundation
import LGSPAPI
import LGSPAuth
import LGSPCore
import NIOCore

/// The calls one hub makes on a peer hub (federation), signed with the hub's credential there.
extension LGSPClient {
    /// Offers a packet to the peer (`POST /v1/federation/packets`). Not retried here: the peer link
    /// retries with its own backoff and circuit breaker.
    public func offerHandOff(_ offer: HandOffOffer) async throws -> HandOffAnswer {
        try await json(.POST, "/v1/federation/packets", body: offer, retry: false)
    }

    /// Streams the packet's content into the upload space the peer opened (from byte 0; the peer
    /// verifies size and SHA-256 on arrival).
    public func uploadHandOff(_ id: PacketID, content: HandOffContent) async throws {
        let path = "/v1/packets/\(id)/upload"
        let extra = [("x-amz-content-sha256", SigV4Canonical.unsignedPayload), ("content-type", "application/octet-stream")]
        var request = try signedStreamRequest(.PUT, path, headers: extra)
        request.body = .stream(content, length: .known(content.size))
        let response = try await http.execute(request, timeout: .hours(6))
        let bytes = try await response.body.collect(upTo: 1 << 20)
        let status = Int(response.status.code)
        guard (200..<300).contains(status) else { throw Self.failure(status: status, body: Data(buffer: bytes)) }
    }

    /// Reports delivery states back to the hub that handed the packets off (`POST /v1/federation/status`).
    public func reportStatus(_ reports: [RemoteStatus]) async throws -> StatusReportResponse {
        try await json(.POST, "/v1/federation/status", body: StatusReportRequest(reports: reports), retry: false)
    }

    /// The hub's public signing keys (`GET /v1/auth/jwks`, unsigned), to verify its receipts.
    public func jwks() async throws -> Data {
        let (status, bytes) = try await send(.GET, "/v1/auth/jwks", query: [], body: Data(), signed: false, retry: false)
        guard status == 200 else { throw Self.failure(status: status, body: bytes) }
        return bytes
    }

    /// Every peer link with its state (administrators): `GET /v1/admin/peers`.
    public func peers() async throws -> PeerListResponse {
        try await json(.GET, "/v1/admin/peers")
    }
}
