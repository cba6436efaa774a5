import Configuration
import Foundation
import LGSPCore
import LGSPStorage

/// Where the hub keeps packet content (always encrypted with each packet's own key).
///
/// Keys:
///   - `storage.content` (`folder` or `s3`, default `folder`)
///   - `storage.folder` (string, default `<data>/content`): the content folder; for several nodes, a
///     shared mount every node sees (NFS with close-to-open consistency; see README, Content storage)
///   - `storage.s3.endpoint`, `storage.s3.bucket` (required with `s3`), `storage.s3.region` (default
///     `us-east-1`), `storage.s3.prefix` (default empty), `storage.s3.accessKey`, `storage.s3.secretKey`
///     (secret; also from the environment as `LGSP_S3_SECRET_KEY`), `storage.s3.partSize` (int, default
///     8 MiB), `storage.s3.requestTimeoutSeconds` (double, default 120): see `S3Configuration`
public struct ContentStorageConfiguration: Sendable, CustomStringConvertible {
    public var kind = "folder"
    public var folder: String?
    public var s3Endpoint: String?
    public var s3Bucket: String?
    public var s3Region = "us-east-1"
    public var s3Prefix = ""
    public var s3AccessKey: String?
    public var s3SecretKey: String?
    public var s3PartSize = 8 << 20
    public var s3RequestTimeout: TimeInterval = 120

    public init() {}

    /// Reads the `storage.*` content keys.
    public init(reader config: ConfigReader) {
        kind = config.string(forKey: "storage.content", default: kind)
        folder = config.string(forKey: "storage.folder")
        s3Endpoint = config.string(forKey: "storage.s3.endpoint")
        s3Bucket = config.string(forKey: "storage.s3.bucket")
        s3Region = config.string(forKey: "storage.s3.region", default: s3Region)
        s3Prefix = config.string(forKey: "storage.s3.prefix", default: s3Prefix)
        s3AccessKey = config.string(forKey: "storage.s3.accessKey")
        s3SecretKey = config.string(forKey: "storage.s3.secretKey", isSecret: true)
        s3PartSize = config.int(forKey: "storage.s3.partSize", default: s3PartSize)
        s3RequestTimeout = config.double(forKey: "storage.s3.requestTimeoutSeconds", default: s3RequestTimeout)
    }

    /// The S3 settings, checked (`request.invalid_field` / `request.missing_field` naming the key).
    public func s3Configuration() throws(LGSPError) -> S3Configuration {
        guard let endpoint = s3Endpoint, let bucket = s3Bucket else {
            throw LGSPError(.missingField, "storage.content s3 needs storage.s3.endpoint and storage.s3.bucket",
                field: s3Endpoint == nil ? "storage.s3.endpoint" : "storage.s3.bucket")
        }
        return try S3Configuration(
            endpoint: endpoint, bucket: bucket, prefix: s3Prefix, region: s3Region, accessKey: s3AccessKey ?? "", secretKey: s3SecretKey ?? "",
            partSize: s3PartSize, requestTimeout: s3RequestTimeout)
    }

    /// The content store this configuration names; `defaultFolder` is `<data>/content`.
    public func makeStore(defaultFolder: String) throws -> any BlobStore {
        switch kind {
        case "folder": return try FolderBlobStore(root: folder ?? defaultFolder)
        case "s3": return S3BlobStore(configuration: try s3Configuration())
        default:
            throw LGSPError(.invalidField, "storage.content must be folder or s3, not \"\(kind)\"", field: "storage.content")
        }
    }

    public var description: String {
        kind == "s3" ? "s3 \(s3Endpoint ?? "?")/\(s3Bucket ?? "?")/\(s3Prefix) (access key \(s3AccessKey ?? "?"))" : "folder \(folder ?? "<data>/content")"
    }
}
