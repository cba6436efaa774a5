import AsyncHTTPClient
import Crypto
import Foundation
import LGSPAPI
import LGSPAuth
import LGSPCore
import NIOCore
import NIOFoundationCompat
import NIOHTTP1
import _NIOFileSystem

/// Progress of a transfer: bytes done and the total.
public typealias TransferProgress = @Sendable (_ done: Int64, _ total: Int64) -> Void

extension LGSPClient {
    /// Article 8 step 2: asks to send a packet and returns its id and upload space.
    /// A missing idempotency key is generated, so a retried request never creates two packets.
    public func createPacket(_ request: CreatePacketRequest) async throws -> PacketCreatedResponse {
        var request = request
        if request.idempotencyKey == nil { request.idempotencyKey = UUID().uuidString.lowercased() }
        return try await json(.POST, "/v1/packets", body: request, retry: true)
    }

    /// Sends small content in one request (the one-request form: content inline, base64).
    public func send(
        to recipients: [String], subject: String, dataType: String, data: Data, mediaType: String = "application/octet-stream",
        priority: Priority = .normal, policy: PolicyBody? = nil, idempotencyKey: String? = nil
    ) async throws -> PacketCreatedResponse {
        try await createPacket(
            CreatePacketRequest(
                to: recipients, subject: subject, priority: priority, dataType: dataType,
                content: ContentBody(size: Int64(data.count), sha256: ContentDigest.of(data).hex, mediaType: mediaType, data: data.base64EncodedString()),
                policy: policy, idempotencyKey: idempotencyKey))
    }

    /// Sends a file of any size: hashes it, creates the packet, then streams it into the upload space
    /// (resuming after interruptions).
    public func send(
        to recipients: [String], subject: String, dataType: String, file: String, mediaType: String = "application/octet-stream",
        priority: Priority = .normal, policy: PolicyBody? = nil, idempotencyKey: String? = nil, progress: TransferProgress? = nil
    ) async throws -> PacketCreatedResponse {
        let (size, digest) = try await Self.measure(file: file)
        var created = try await createPacket(
            CreatePacketRequest(
                to: recipients, subject: subject, priority: priority, dataType: dataType,
                content: ContentBody(size: size, sha256: digest.hex, mediaType: mediaType), policy: policy, idempotencyKey: idempotencyKey))
        if created.upload != nil {
            let uploaded = try await upload(created.id, file: file, size: size, from: created.receivedBytes, progress: progress)
            created.state = uploaded.state
            created.receivedBytes = uploaded.receivedBytes
            created.upload = nil
        }
        return created
    }

    /// Streams a file into a packet's upload space from `offset`; after a transport failure it asks
    /// the hub how much arrived (`HEAD`) and continues from there.
    public func upload(_ id: PacketID, file: String, size: Int64, from offset: Int64 = 0, progress: TransferProgress? = nil) async throws -> UploadResponse {
        var start = offset
        var attempt = 0
        while true {
            do {
                return try await uploadOnce(id, file: file, size: size, from: start, progress: progress)
            } catch let error as HTTPClientError where attempt < retries {
                attempt += 1
                logger.info("upload interrupted; resuming", metadata: ["packet": "\(id)", "error": "\(error)"])
                try await backoff(attempt)
                start = try await uploadOffset(id)
            }
        }
    }

    /// The bytes of a packet's content the hub has received so far.
    public func uploadOffset(_ id: PacketID) async throws -> Int64 {
        let request = try makeRequest(.HEAD, "/v1/packets/\(id)/upload", query: [], body: Data(), signed: true)
        let response = try await http.execute(request, timeout: .seconds(60))
        guard response.status == .ok, let offset = response.headers.first(name: "Upload-Offset").flatMap(Int64.init) else {
            throw LGSPClientError.unexpectedResponse(status: Int(response.status.code), body: "no Upload-Offset")
        }
        return offset
    }

    private func uploadOnce(_ id: PacketID, file: String, size: Int64, from offset: Int64, progress: TransferProgress?) async throws -> UploadResponse {
        let path = "/v1/packets/\(id)/upload"
        var extra: [(String, String)] = [("x-amz-content-sha256", SigV4Canonical.unsignedPayload), ("content-type", "application/octet-stream")]
        if offset > 0 { extra.append(("content-range", "bytes \(offset)-\(size - 1)/\(size)")) }
        var request = try signedStreamRequest(.PUT, path, headers: extra)
        let handle = try await FileSystem.shared.openFile(forReadingAt: FilePath(file))
        defer { Task { try? await handle.close() } }
        let chunks = handle.readChunks(in: offset..<size, chunkLength: .kibibytes(256))
        let counted = CountingChunks(base: chunks, start: offset, total: size, progress: progress)
        request.body = .stream(counted, length: .known(size - offset))
        let response = try await http.execute(request, timeout: .hours(6))
        let bytes = try await response.body.collect(upTo: 1 << 20)
        let status = Int(response.status.code)
        guard (200..<300).contains(status) else { throw Self.failure(status: status, body: Data(buffer: bytes)) }
        return try APICoding.makeDecoder().decode(UploadResponse.self, from: Data(buffer: bytes))
    }

    /// A signed request whose body will be streamed (`UNSIGNED-PAYLOAD`).
    func signedStreamRequest(_ method: HTTPMethod, _ path: String, headers extra: [(String, String)]) throws -> HTTPClientRequest {
        var request = HTTPClientRequest(url: baseURL + path)
        request.method = method
        var headers: [(name: String, value: String)] = [("host", try hostHeader())] + extra.map { ($0.0, $0.1) }
        let signable = SignableRequest(method: method.rawValue, target: path, headers: headers)
        headers += signer.sign(signable, payloadHash: SigV4Canonical.unsignedPayload, date: now, sendPayloadHash: !extra.contains { $0.0 == "x-amz-content-sha256" })
        for header in headers { request.headers.add(name: header.name, value: header.value) }
        return request
    }

    // MARK: Receiving

    /// Article 9 step 1: packets waiting for this app, flash first, then oldest first.
    public func inbox(limit: Int = 100) async throws -> [InboxItem] {
        let response: InboxResponse = try await json(.GET, "/v1/inbox", query: [("limit", String(limit))])
        return response.items
    }

    /// Article 9 step 2: says this app is ready to receive; returns the download space.
    public func accept(_ id: PacketID) async throws -> AcceptResponse {
        try await json(.POST, "/v1/packets/\(id)/accept", retry: true)
    }

    /// Downloads a packet's content to a file, checking its SHA-256 against the packet's; returns the digest.
    @discardableResult
    public func download(_ id: PacketID, to file: String, progress: TransferProgress? = nil) async throws -> ContentDigest {
        let request = try makeRequest(.GET, "/v1/packets/\(id)/content", query: [], body: Data(), signed: true)
        let response = try await http.execute(request, timeout: .hours(6))
        let status = Int(response.status.code)
        guard status == 200 else {
            throw Self.failure(status: status, body: Data(buffer: try await response.body.collect(upTo: 1 << 20)))
        }
        let expected = response.headers.first(name: "ETag")?.trimmingCharacters(in: CharacterSet(charactersIn: "\""))
        let total = response.headers.first(name: "Content-Length").flatMap(Int64.init) ?? -1
        var hasher = SHA256()
        var done: Int64 = 0
        let temporary = file + ".part"
        try? FileManager.default.removeItem(atPath: temporary)
        try await FileSystem.shared.withFileHandle(forWritingAt: FilePath(temporary), options: .newFile(replaceExisting: true)) { handle in
            var writer = handle.bufferedWriter(capacity: .kibibytes(512))
            for try await buffer in response.body {
                buffer.withUnsafeReadableBytes { hasher.update(bufferPointer: $0) }
                try await writer.write(contentsOf: buffer)
                done += Int64(buffer.readableBytes)
                progress?(done, total)
            }
            try await writer.flush()
        }
        let digest = ContentDigest(hasher.finalize())
        if let expected, expected != digest.hex {
            try? FileManager.default.removeItem(atPath: temporary)
            throw LGSPClientError.contentDigestMismatch(expected: expected, actual: digest.hex)
        }
        guard rename(temporary, file) == 0 else {
            throw LGSPClientError.invalidInput("could not move the download into \(file): \(String(cString: strerror(errno)))")
        }
        return digest
    }

    /// Downloads small content into memory (checked against its digest).
    public func download(_ id: PacketID) async throws -> Data {
        let (status, data) = try await send(.GET, "/v1/packets/\(id)/content", query: [], body: Data(), signed: true, retry: true)
        guard status == 200 else { throw Self.failure(status: status, body: data) }
        return data
    }

    /// Article 9 step 3: confirms receipt with the SHA-256 of what was received.
    @discardableResult
    public func acknowledge(_ id: PacketID, sha256: String) async throws -> DeliveryBody {
        try await json(.POST, "/v1/packets/\(id)/ack", body: AckRequest(sha256: sha256))
    }

    /// Refuses a packet, telling the source why.
    @discardableResult
    public func reject(_ id: PacketID, reason: String) async throws -> DeliveryBody {
        try await json(.POST, "/v1/packets/\(id)/reject", body: RejectRequest(reason: reason))
    }

    // MARK: History

    /// One packet with a state per delivery and its history.
    public func packet(_ id: PacketID) async throws -> PacketBody {
        try await json(.GET, "/v1/packets/\(id)")
    }

    /// A page of sent or received packets, newest first.
    public func packets(role: String, limit: Int = 50, before: String? = nil) async throws -> PacketListResponse {
        var query = [("role", role), ("limit", String(limit))]
        if let before { query.append(("before", before)) }
        return try await json(.GET, "/v1/packets", query: query)
    }

    // MARK: Files

    /// The SHA-256 of a file (what `content.sha256` must declare).
    public static func digest(file: String) async throws -> ContentDigest {
        try await measure(file: file).1
    }

    /// Size and SHA-256 of a file, read in one streaming pass.
    static func measure(file: String) async throws -> (Int64, ContentDigest) {
        guard FileManager.default.isReadableFile(atPath: file) else {
            throw LGSPClientError.invalidInput("cannot read file '\(file)'")
        }
        return try await FileSystem.shared.withFileHandle(forReadingAt: FilePath(file)) { handle in
            var hasher = SHA256()
            var size: Int64 = 0
            for try await chunk in handle.readChunks(chunkLength: .mebibytes(1)) {
                chunk.withUnsafeReadableBytes { hasher.update(bufferPointer: $0) }
                size += Int64(chunk.readableBytes)
            }
            return (size, ContentDigest(hasher.finalize()))
        }
    }
}

/// File chunks that report progress as they are sent.
struct CountingChunks: AsyncSequence, Sendable {
    typealias Element = ByteBuffer
    let base: FileChunks
    let start: Int64
    let total: Int64
    let progress: TransferProgress?

    struct AsyncIterator: AsyncIteratorProtocol {
        var base: FileChunks.AsyncIterator
        var done: Int64
        let total: Int64
        let progress: TransferProgress?

        mutating func next() async throws -> ByteBuffer? {
            guard let chunk = try await base.next() else { return nil }
            done += Int64(chunk.readableBytes)
            progress?(done, total)
            return chunk
        }
    }

    func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(base: base.makeAsyncIterator(), done: start, total: total, progress: progress)
    }
}
