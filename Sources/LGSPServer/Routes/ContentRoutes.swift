import Foundation
import HTTPTypes
import Hummingbird
import LGSPAPI
import LGSPAuth
import LGSPCore
import NIOCore

/// The spaces: `PUT/HEAD /v1/packets/{id}/upload` (Article 8 step 3) and
/// `GET/HEAD /v1/packets/{id}/content` (Article 9 step 3). Bodies stream in constant memory.
struct ContentRoutes {
    let hub: Hub

    func register(on router: HubRouter) {
        router.put("/v1/packets/{id}/upload") { request, context in try await upload(request, id: try context.parameters.packetID()) }
        router.head("/v1/packets/{id}/upload") { request, context in try await uploadOffset(request, id: try context.parameters.packetID()) }
        router.get("/v1/packets/{id}/content") { request, context in try await download(request, id: try context.parameters.packetID(), head: false) }
        router.head("/v1/packets/{id}/content") { request, context in try await download(request, id: try context.parameters.packetID(), head: true) }
    }

    private func upload(_ request: Request, id: PacketID) async throws -> Response {
        // The signature may cover the declared content digest (signers that hash the body), the empty
        // hash (curl -T signs streamed bodies so) or UNSIGNED-PAYLOAD; the digest check at the end
        // guarantees the content either way.
        // Read the packet first (its digest is an acceptable payload hash), but authenticate before
        // saying that it does not exist.
        let found = try await hub.store.record(id)
        let accepted = [found?.packet.content.sha256.hex, SigV4Canonical.emptyPayloadHash].compactMap { $0 }
        let caller = try await hub.authenticator.authenticate(request.signable, payload: .stream(acceptedHashes: accepted))
        guard let record = found else { throw LGSPError(.unknownPacket, "there is no packet \(id)") }
        var offset: Int64?
        if let header = request.headers[.contentRange] {
            offset = try Self.contentRangeStart(header, size: record.packet.content.size, contentLength: request.headers[.contentLength].flatMap { Int64($0) })
        }
        let progress = try await hub.exchange.upload(record, by: caller, offset: offset, body: request.body)
        var response = try JSONBody.response(
            UploadResponse(id: id, receivedBytes: progress.receivedBytes, size: progress.packet.content.size, complete: progress.complete,
                state: progress.packet.state))
        response.headers[.uploadOffset] = String(progress.receivedBytes)
        return response
    }

    /// `Content-Range: bytes START-END/TOTAL` → START, after checking TOTAL and the length.
    static func contentRangeStart(_ header: String, size: Int64, contentLength: Int64?) throws -> Int64 {
        let text = header.trimmingCharacters(in: .whitespaces)
        guard text.hasPrefix("bytes "), let slash = text.firstIndex(of: "/") else {
            throw LGSPError(.invalidField, "Content-Range '\(header)' must be 'bytes START-END/TOTAL'", field: "Content-Range")
        }
        let range = text[text.index(text.startIndex, offsetBy: 6)..<slash].split(separator: "-")
        guard range.count == 2, let start = Int64(range[0]), let end = Int64(range[1]), end >= start,
            let total = Int64(text[text.index(after: slash)...])
        else {
            throw LGSPError(.invalidField, "Content-Range '\(header)' must be 'bytes START-END/TOTAL'", field: "Content-Range")
        }
        guard total == size else {
            throw LGSPError(.sizeMismatch, "Content-Range total \(total) differs from the packet's declared content.size \(size)", field: "Content-Range")
        }
        guard end < total else {
            throw LGSPError(.invalidField, "Content-Range end \(end) is beyond the content's last byte \(total - 1)", field: "Content-Range")
        }
        if let contentLength, contentLength != end - start + 1 {
            throw LGSPError(.invalidField, "Content-Range covers \(end - start + 1) bytes but the body has \(contentLength)", field: "Content-Range")
        }
        return start
    }

    private func uploadOffset(_ request: Request, id: PacketID) async throws -> Response {
        let caller = try await hub.authenticator.authenticate(request.signable, payload: .stream(acceptedHashes: [SigV4Canonical.emptyPayloadHash]))
        let (packet, offset) = try await hub.exchange.uploadOffset(id, by: caller)
        return Response(status: .ok, headers: [.uploadOffset: String(offset), .init("Upload-Length")!: String(packet.content.size), .cacheControl: "no-store"])
    }

    private func download(_ request: Request, id: PacketID, head: Bool) async throws -> Response {
        let caller = try await hub.authenticator.authenticate(request.signable, payload: .stream(acceptedHashes: [SigV4Canonical.emptyPayloadHash]))
        let grant = try await hub.exchange.openDownload(id, by: caller)
        // A converted delivery serves its variant, with the variant's own size, digest and media type.
        let content = grant.content
        let size = content.size
        let range = try ByteRange.parse(request.headers[.range], size: size)
        let served = range ?? 0..<size
        var headers: HTTPFields = [
            .contentType: content.mediaType,
            .acceptRanges: "bytes",
            .eTag: "\"\(content.sha256.hex)\"",
            .reprDigest: "sha-256=:\(Data(hex: content.sha256.hex).base64EncodedString()):",
            .cacheControl: "no-store",
            .contentLength: String(served.count),
        ]
        if range != nil { headers[.contentRange] = "bytes \(served.lowerBound)-\(served.upperBound - 1)/\(size)" }
        let status: HTTPResponse.Status = range != nil ? .partialContent : .ok
        if head || served.isEmpty {
            return Response(status: status, headers: headers, body: ResponseBody())
        }
        let blobs = hub.blobs
        let key = grant.key
        let blob = grant.blob
        // Read (and authenticate) the first chunk before answering, so that damaged content gets a
        // clear server.storage_failure instead of a cut-off 200. Later chunks are checked as they stream:
        // a failure there ends the connection, and the client's length and digest checks catch it.
        let firstEnd = min(served.upperBound, served.lowerBound + 64 * 1024)
        var first: [ByteBuffer] = []
        try await blobs.read(blob, key: key, range: served.lowerBound..<firstEnd) { first.append($0) }
        let prefix = first
        let body = ResponseBody(contentLength: served.count) { writer in
            for buffer in prefix { try await writer.write(buffer) }
            if firstEnd < served.upperBound {
                try await blobs.read(blob, key: key, range: firstEnd..<served.upperBound) { buffer in
                    try await writer.write(buffer)
                }
            }
            try await writer.finish(nil)
        }
        return Response(status: status, headers: headers, body: body)
    }
}

extension Data {
    /// Bytes from lowercase or uppercase hex (well-formed input only: digests the hub produced).
    init(hex: String) {
        var bytes: [UInt8] = []
        var iterator = hex.utf8.makeIterator()
        while let high = iterator.next(), let low = iterator.next() {
            func value(_ c: UInt8) -> UInt8 { c <= 0x39 ? c - 0x30 : (c | 0x20) - 0x61 + 10 }
            bytes.append(value(high) << 4 | value(low))
        }
        self.init(bytes)
    }
}

