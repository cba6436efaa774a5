import AsyncHTTPClient
import Foundation
import LGSPAuth
import LGSPCore
import NIOCore
import NIOHTTP1

/// The S3 REST calls the S3 blob store makes, path-style, each signed with AWS Signature Version 4
/// (`LGSPAuth`'s `SigV4Signer`, service `s3`) over async-http-client.
///
/// Every request carries the SHA-256 of its body (`x-amz-content-sha256`): bodies are at most one
/// part and already in memory, so signing them costs one hash and lets the object store refuse a
/// part altered in transit. Each request must finish within `requestTimeout`.
///
/// Failures are `LGSPError`s: `server.storage_unreachable` (no connection, timeout, cut answer),
/// `server.storage_access_denied` (the store refused the credentials or the signature),
/// `server.storage_bucket_missing`, else `server.storage_failure` naming the S3 error code.
public struct S3Client: Sendable {
    public let configuration: S3Configuration
    public let http: HTTPClient
    private let signer: SigV4Signer
    private let host: String

    /// A client for `configuration`'s endpoint and bucket, sending through `http`.
    public init(configuration: S3Configuration, http: HTTPClient = .shared) {
        self.configuration = configuration
        self.http = http
        signer = SigV4Signer(accessKey: configuration.accessKey, secretKey: configuration.secretKey, region: configuration.region, service: "s3")
        let url = configuration.endpoint
        host = (url.host ?? "") + (url.port.map { ":\($0)" } ?? "")
    }

    /// The largest XML answer read (a list of 1000 keys is about 300 KB).
    static let maxXMLBytes = 4 << 20

    /// Sends a signed request for `key` (nil: the bucket itself) and returns the answer, its body unread.
    /// Statuses other than 2xx (and 404 when `allowNotFound`, 206 for ranges) become errors.
    public func send(
        _ method: HTTPMethod, key: String?, query: [(name: String, value: String)] = [], headers: [(name: String, value: String)] = [],
        body: ByteBuffer? = nil, operation: String, allowNotFound: Bool = false
    ) async throws -> HTTPClientResponse {
        let path = "/\(configuration.bucket)" + (key.map { "/" + $0 } ?? "")
        // Query items with an empty value (`?uploads`) are sent bare, as S3's own clients do; SigV4 signs them as `uploads=`.
        let rawQuery = query.map { $0.value.isEmpty ? PercentEncoding.encode($0.name) : "\(PercentEncoding.encode($0.name))=\(PercentEncoding.encode($0.value))" }
            .joined(separator: "&")
        let payloadHash = body.map { buffer in buffer.withUnsafeReadableBytes { SigV4Canonical.payloadHash($0) } } ?? SigV4Canonical.emptyPayloadHash
        let signable = SignableRequest(method: method.rawValue, rawPath: path, rawQuery: rawQuery.isEmpty ? nil : rawQuery, headers: [("host", host)] + headers)
        var request = HTTPClientRequest(url: configuration.endpoint.absoluteString + path + (rawQuery.isEmpty ? "" : "?" + rawQuery))
        request.method = method
        request.headers.add(name: "host", value: host)
        for header in headers { request.headers.add(name: header.name, value: header.value) }
        for header in signer.sign(signable, payloadHash: payloadHash, date: Date()) { request.headers.add(name: header.name, value: header.value) }
        if let body { request.body = .bytes(body) }
        let response: HTTPClientResponse
        do {
            response = try await http.execute(request, timeout: .milliseconds(Int64(configuration.requestTimeout * 1000)))
        } catch {
            throw unreachable(operation, error)
        }
        if (200..<300).contains(response.status.code) || (allowNotFound && response.status == .notFound) { return response }
        throw await failure(response, operation: operation)
    }

    /// Sends a request and reads its (XML) answer whole.
    public func sendForText(
        _ method: HTTPMethod, key: String?, query: [(name: String, value: String)] = [], body: ByteBuffer? = nil, operation: String
    ) async throws -> String {
        let response = try await send(method, key: key, query: query, body: body, operation: operation)
        do {
            return String(buffer: try await response.body.collect(upTo: Self.maxXMLBytes))
        } catch {
            throw unreachable(operation, error)
        }
    }

    /// Drains an answer whose body does not matter, so the connection can be reused.
    public static func discard(_ response: HTTPClientResponse) async {
        do {
            for try await _ in response.body {}
        } catch {}
    }

    func unreachable(_ operation: String, _ error: any Error) -> LGSPError {
        if let error = error as? LGSPError { return error }
        return LGSPError(.storageUnreachable, "the object store at \(configuration.endpoint.absoluteString) could not be reached (\(operation)): \(error)")
    }

    /// The error for a refused request, from its status and S3 error document.
    func failure(_ response: HTTPClientResponse, operation: String) async -> LGSPError {
        let text = (try? await response.body.collect(upTo: 64 << 10)).map { String(buffer: $0) } ?? ""
        return failure(status: Int(response.status.code), document: text, operation: operation)
    }

    func failure(status: Int, document: String, operation: String) -> LGSPError {
        let code = S3XML.text("Code", in: document) ?? "HTTP \(status)"
        let message = S3XML.text("Message", in: document).map { ": \($0)" } ?? ""
        let bucket = configuration.bucket
        switch code {
        case "NoSuchBucket":
            return LGSPError(.storageBucketMissing, "the bucket \(bucket) does not exist at \(configuration.endpoint.absoluteString) (\(operation)); create it or fix storage.s3.bucket")
        case "InvalidAccessKeyId", "SignatureDoesNotMatch", "AccessDenied", "InvalidClientTokenId", "AuthorizationHeaderMalformed",
            "RequestTimeTooSkewed", "ExpiredToken", "InvalidToken", "AllAccessDisabled":
            return LGSPError(.storageAccessDenied,
                "the object store refused the hub's credentials (access key \(configuration.accessKey), bucket \(bucket), \(operation)): \(code)\(message)")
        default:
            if status == 403 {
                return LGSPError(.storageAccessDenied, "the object store refused \(operation) on bucket \(bucket) (HTTP 403 \(code)\(message))")
            }
            return LGSPError(.storageFailure, "the object store answered \(operation) on bucket \(bucket) with HTTP \(status) \(code)\(message)")
        }
    }
}
