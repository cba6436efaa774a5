import Foundation
import Hummingbird
import LGSPAPI
import LGSPCore
import NIOCore

/// Article 8 step 2 and history: create a packet (with an upload space), read one, list them.
struct PacketRoutes {
    let hub: Hub

    func register(on router: HubRouter) {
        router.post("/v1/packets") { request, _ in try await create(request) }
        router.get("/v1/packets") { request, _ in try await list(request) }
        router.get("/v1/packets/{id}") { request, context in try await show(request, id: try context.parameters.packetID()) }
    }

    private func create(_ request: Request) async throws -> Response {
        let (caller, body) = try await authenticatedCreate(request)
        let inline = try body.content.data.map { text -> Data in
            guard let data = Data(base64Encoded: text) else {
                throw LGSPError(.invalidField, "content.data is not valid base64", field: "content.data")
            }
            guard Int64(data.count) <= hub.configuration.exchange.maxInlineContentSize else {
                throw LGSPError(.contentTooLarge, "inline content has \(data.count) bytes; the one-request form takes at most \(hub.configuration.exchange.maxInlineContentSize): create the packet and PUT the content instead",
                    field: "content.data")
            }
            return data
        }
        let sendRequest = try Self.sendRequest(from: body, inline: inline)
        let receipt = try await hub.exchange.send(sendRequest, by: caller)
        var packet = receipt.packet
        var received: Int64 = 0
        if let inline, packet.state == .awaitingUpload {
            let progress = try await hub.exchange.upload(
                packet.id, by: caller, offset: nil, body: SingleBuffer(buffer: ByteBuffer(bytes: inline)))
            packet = progress.packet
            received = progress.receivedBytes
        } else if packet.state != .awaitingUpload {
            received = packet.content.size
        }
        let deliveries = try await hub.store.deliveries(of: packet.id)
        let upload = packet.state == .awaitingUpload
            ? SpaceBody(url: "\(hub.baseURL(for: request))/v1/packets/\(packet.id)/upload", method: "PUT", expiresAt: packet.uploadExpiresAt)
            : nil
        let response = PacketCreatedResponse(
            id: packet.id, state: packet.state, upload: upload, receivedBytes: received, deliveries: deliveries.map { DeliveryBody($0) },
            replayed: receipt.replayed, redirects: packet.redirects.isEmpty ? nil : packet.redirects.map(RedirectBody.init))
        var answer = try JSONBody.response(response, status: receipt.replayed ? .ok : .created)
        answer.headers[.location] = "/v1/packets/\(packet.id)"
        return answer
    }

    private func authenticatedCreate(_ request: Request) async throws -> (Caller, CreatePacketRequest) {
        let limit = hub.configuration.maxJSONBytes + Int(hub.configuration.exchange.maxInlineContentSize) * 4 / 3 + 4096
        let body = try await request.body.collect(upTo: limit)
        let caller = try await hub.authenticator.authenticate(
            request.signable, payload: .body(sha256: SigV4CanonicalHash.of(body), bytes: Data(body.readableBytesView)))
        return (caller, try JSONBody.decode(CreatePacketRequest.self, from: body))
    }

    /// The core's send request from the wire body; inline content fills in size and digest (and checks them if given).
    static func sendRequest(from body: CreatePacketRequest, inline: Data?) throws -> SendRequest {
        let mediaType = body.content.mediaType ?? "application/octet-stream"
        let size: Int64
        let digest: ContentDigest
        if let inline {
            let actual = ContentDigest.of(inline)
            if let declared = body.content.size, declared != Int64(inline.count) {
                throw LGSPError(.sizeMismatch, "content.size says \(declared) bytes but content.data holds \(inline.count)", field: "content.size")
            }
            if let declared = body.content.sha256, try ContentDigest(hex: declared) != actual {
                throw LGSPError(.digestMismatch, "content.sha256 does not match the SHA-256 of content.data (\(actual.hex))", field: "content.sha256")
            }
            size = Int64(inline.count)
            digest = actual
        } else {
            guard let declaredSize = body.content.size else {
                throw LGSPError(.missingField, "content.size is required (or send the content inline in content.data)", field: "content.size")
            }
            guard let declaredDigest = body.content.sha256 else {
                throw LGSPError(.missingField, "content.sha256 is required (or send the content inline in content.data)", field: "content.sha256")
            }
            size = declaredSize
            digest = try ContentDigest(hex: declaredDigest)
        }
        return SendRequest(
            to: body.to, subject: body.subject, priority: body.priority ?? .normal, dataType: try DataType(body.dataType),
            exchangeProtocol: body.protocol ?? "rest", content: ContentDescriptor(size: size, sha256: digest, mediaType: mediaType),
            policy: PacketPolicy(notBefore: body.policy?.notBefore, deadline: body.policy?.deadline), idempotencyKey: body.idempotencyKey)
    }

    private func show(_ request: Request, id: PacketID) async throws -> Response {
        let caller = try await hub.authenticated(request)
        let view = try await hub.exchange.view(id, by: caller)
        return try JSONBody.response(PacketBody(view.packet, deliveries: view.deliveries, history: view.history, receivedBytes: view.receivedBytes, traces: view.traces))
    }

    private func list(_ request: Request) async throws -> Response {
        let caller = try await hub.authenticated(request)
        let query = request.uri.queryParameters
        let role: PacketQuery.Role
        switch query["role"].map(String.init) {
        case "sent": role = .sent(appID: caller.app.id)
        case "received": role = .received(appID: caller.app.id)
        case "all": role = .all
        case nil: role = caller.isAdmin ? .all : .sent(appID: caller.app.id)
        case let other?: throw LGSPError(.invalidQuery, "role must be sent, received or all, not '\(other)'", field: "role")
        }
        var packetQuery = PacketQuery(role: role, limit: try Self.intQuery(query["limit"], name: "limit", default: 50, range: 1...500))
        if let type = query["dataType"] { packetQuery.dataType = try DataType(String(type)) }
        if let since = query["since"] { packetQuery.since = try Self.dateQuery(since, name: "since") }
        if let until = query["until"] { packetQuery.until = try Self.dateQuery(until, name: "until") }
        if let before = query["before"] {
            guard let id = PacketID(String(before)) else { throw LGSPError(.invalidQuery, "before must be a packet id", field: "before") }
            packetQuery.before = id
        }
        let page = try await hub.exchange.list(packetQuery, by: caller)
        let items = page.map { PacketBody($0.packet, deliveries: $0.deliveries, history: nil) }
        let next = page.count == packetQuery.limit ? page.last?.packet.id.rawValue : nil
        return try JSONBody.response(PacketListResponse(items: items, next: next))
    }

    static func intQuery(_ value: Substring?, name: String, default fallback: Int, range: ClosedRange<Int>) throws -> Int {
        guard let value else { return fallback }
        guard let number = Int(value), range.contains(number) else {
            throw LGSPError(.invalidQuery, "\(name) must be an integer from \(range.lowerBound) to \(range.upperBound)", field: name)
        }
        return number
    }

    static func dateQuery(_ value: Substring, name: String) throws -> Date {
        guard let date = APICoding.parseDate(String(value)) else {
            throw LGSPError(.invalidQuery, "\(name) must be an ISO 8601 date-time such as 2026-11-29T00:00:00Z", field: name)
        }
        return date
    }
}

/// An async sequence of one buffer (inline content handed to the upload path).
struct SingleBuffer: AsyncSequence, Sendable {
    typealias Element = ByteBuffer
    let buffer: ByteBuffer

    struct AsyncIterator: AsyncIteratorProtocol {
        var buffer: ByteBuffer?
        mutating func next() async throws -> ByteBuffer? {
            defer { buffer = nil }
            return buffer
        }
    }

    func makeAsyncIterator() -> AsyncIterator { AsyncIterator(buffer: buffer) }
}

/// The SHA-256 (hex) of a body buffer, as SigV4 payload hashes are written.
enum SigV4CanonicalHash {
    static func of(_ buffer: ByteBuffer) -> String {
        buffer.withUnsafeReadableBytes { ContentDigest.of($0).hex }
    }
}
