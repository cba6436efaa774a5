import Foundation
import LGSPCore

/// Where and how the S3 blob store keeps content: an S3-compatible object store (AWS S3, MinIO,
/// Ceph RGW, SeaweedFS, moto…) addressed path-style (`<endpoint>/<bucket>/<key>`).
///
/// Keys (read by the server's configuration, `storage.s3.*`):
///   - `endpoint` (URL, required): e.g. `https://s3.hanoi.example.vn` or `http://127.0.0.1:9000`
///   - `bucket` (string, required): an existing bucket (3–63 of `a-z 0-9 . -`)
///   - `prefix` (string, default empty): prepended to every key, e.g. `lgsp/` (`A-Z a-z 0-9 . _ - /`)
///   - `region` (string, default `us-east-1`): the signing region
///   - `accessKey`, `secretKey` (strings, required): the hub's credentials; the secret is never logged
///   - `partSize` (int, default 8 MiB, at least 5 MiB): bytes per multipart-upload part
///   - `requestTimeoutSeconds` (double, default 120): the longest one request (one part, one read) may take
public struct S3Configuration: Sendable, CustomStringConvertible {
    public var endpoint: URL
    public var bucket: String
    public var prefix: String
    public var region: String
    public var accessKey: String
    var secretKey: String
    public var partSize: Int
    public var requestTimeout: TimeInterval

    /// S3's smallest part (every part but the last) and the most parts of one upload.
    public static let minimumPartSize = 5 << 20
    public static let maximumParts = 10_000

    /// Checks every value and says which one is wrong (`request.invalid_field` naming the `storage.s3.*` key).
    public init(
        endpoint: String, bucket: String, prefix: String = "", region: String = "us-east-1", accessKey: String, secretKey: String,
        partSize: Int = 8 << 20, requestTimeout: TimeInterval = 120
    ) throws(LGSPError) {
        guard let url = URL(string: endpoint), let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https", url.host != nil,
            url.query == nil, url.path.isEmpty || url.path == "/"
        else {
            throw LGSPError(.invalidField, "storage.s3.endpoint must be an http(s) URL without path or query, not \"\(endpoint)\"", field: "storage.s3.endpoint")
        }
        guard (3...63).contains(bucket.utf8.count), bucket.utf8.allSatisfy({ Self.isBucketByte($0) }),
            bucket.first != ".", bucket.first != "-", bucket.last != ".", bucket.last != "-"
        else {
            throw LGSPError(.invalidField, "storage.s3.bucket must be 3–63 of a-z 0-9 . - (path-style bucket name), not \"\(bucket)\"", field: "storage.s3.bucket")
        }
        // Keys stay within characters that sign and travel unchanged (no percent-encoding questions).
        guard prefix.utf8.count <= 512, prefix.utf8.allSatisfy({ Self.isPrefixByte($0) }), !prefix.hasPrefix("/"), !prefix.contains("//") else {
            throw LGSPError(.invalidField, "storage.s3.prefix may hold only A-Z a-z 0-9 . _ - / (not leading, not doubled), not \"\(prefix)\"", field: "storage.s3.prefix")
        }
        guard !accessKey.isEmpty, !secretKey.isEmpty else {
            throw LGSPError(.missingField, "storage.s3.accessKey and storage.s3.secretKey (or LGSP_S3_SECRET_KEY) are required for the S3 content store",
                field: accessKey.isEmpty ? "storage.s3.accessKey" : "storage.s3.secretKey")
        }
        guard partSize >= Self.minimumPartSize, partSize <= 1 << 30 else {
            throw LGSPError(.invalidField, "storage.s3.partSize must be between 5 MiB and 1 GiB, not \(partSize)", field: "storage.s3.partSize")
        }
        guard requestTimeout > 0 else {
            throw LGSPError(.invalidField, "storage.s3.requestTimeoutSeconds must be positive", field: "storage.s3.requestTimeoutSeconds")
        }
        var base = endpoint
        while base.hasSuffix("/") { base.removeLast() }
        self.endpoint = URL(string: base)!
        self.bucket = bucket
        self.prefix = prefix.isEmpty || prefix.hasSuffix("/") ? prefix : prefix + "/"
        self.region = region
        self.accessKey = accessKey
        self.secretKey = secretKey
        self.partSize = partSize
        self.requestTimeout = requestTimeout
    }

    public var description: String {
        "S3Configuration(\(endpoint.absoluteString)/\(bucket)/\(prefix), region \(region), accessKey \(accessKey), secretKey <redacted>)"
    }

    private static func isBucketByte(_ byte: UInt8) -> Bool {
        (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x30 && byte <= 0x39) || byte == 0x2E || byte == 0x2D
    }

    private static func isPrefixByte(_ byte: UInt8) -> Bool {
        (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x30 && byte <= 0x39)
            || byte == 0x2E || byte == 0x5F || byte == 0x2D || byte == 0x2F
    }
}
