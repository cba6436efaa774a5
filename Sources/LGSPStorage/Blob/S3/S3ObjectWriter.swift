import LGSPCore
import NIOCore
import NIOHTTP1

/// Writes one object from a stream of bytes while holding at most about one part in memory: a
/// plain `PUT` if everything fits in one part, else an S3 multipart upload (create, one `UploadPart`
/// per `partSize` bytes, complete), which `abort` cancels so that no object and no stored part remain.
struct S3ObjectWriter: Sendable {
    let client: S3Client
    let key: String
    private var buffer = ByteBuffer()
    private var uploadID: String?
    private var parts: [(number: Int, etag: String)] = []

    init(client: S3Client, key: String) {
        self.client = client
        self.key = key
    }

    var partSize: Int { client.configuration.partSize }

    /// Bytes accepted so far.
    private(set) var count: Int64 = 0

    /// Whether a multipart upload was started (the object is larger than one part).
    var isMultipart: Bool { uploadID != nil }

    /// Adds bytes, sending a part whenever one is full.
    mutating func write(_ bytes: inout ByteBuffer) async throws {
        count += Int64(bytes.readableBytes)
        buffer.writeBuffer(&bytes)
        while buffer.readableBytes >= partSize {
            var part = buffer.readSlice(length: partSize)!
            try await upload(&part)
        }
        buffer.discardReadBytes()
    }

    /// Sends what is left and makes the object visible.
    mutating func finish() async throws {
        guard let uploadID else {
            let response = try await client.send(.PUT, key: key, headers: [("content-type", "application/octet-stream")], body: buffer, operation: "storing content")
            await S3Client.discard(response)
            return
        }
        if buffer.readableBytes > 0 || parts.isEmpty {
            var last = buffer
            try await upload(&last)
        }
        var xml = "<CompleteMultipartUpload>"
        for part in parts { xml += "<Part><PartNumber>\(part.number)</PartNumber><ETag>\(part.etag)</ETag></Part>" }
        xml += "</CompleteMultipartUpload>"
        let answer = try await client.sendForText(
            .POST, key: key, query: [("uploadId", uploadID)], body: ByteBuffer(string: xml), operation: "completing a multipart upload")
        // S3 may answer 200 and still fail the completion (the error comes in the body).
        if answer.contains("<Error>") { throw client.failure(status: 200, document: answer, operation: "completing a multipart upload") }
    }

    /// Cancels a multipart upload, if one was started; best effort (a failure leaves it for `delete` to abort).
    func abort() async {
        guard let uploadID else { return }
        if let response = try? await client.send(.DELETE, key: key, query: [("uploadId", uploadID)], operation: "aborting a multipart upload", allowNotFound: true) {
            await S3Client.discard(response)
        }
    }

    private mutating func upload(_ part: inout ByteBuffer) async throws {
        if uploadID == nil {
            let answer = try await client.sendForText(.POST, key: key, query: [("uploads", "")], operation: "starting a multipart upload")
            guard let id = S3XML.text("UploadId", in: answer), !id.isEmpty else {
                throw LGSPError(.storageFailure, "the object store started a multipart upload for \(key) without an upload id")
            }
            uploadID = id
        }
        guard parts.count < S3Configuration.maximumParts else {
            throw LGSPError(.contentTooLarge, "content of more than \(S3Configuration.maximumParts) parts of \(partSize) bytes cannot be stored; raise storage.s3.partSize")
        }
        let number = parts.count + 1
        let response = try await client.send(
            .PUT, key: key, query: [("partNumber", String(number)), ("uploadId", uploadID!)], body: part, operation: "uploading part \(number)")
        guard let etag = response.headers.first(name: "etag") else {
            await S3Client.discard(response)
            throw LGSPError(.storageFailure, "the object store accepted part \(number) of \(key) without an ETag")
        }
        await S3Client.discard(response)
        parts.append((number, etag))
        part.clear()
    }
}
