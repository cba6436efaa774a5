import Foundation

extension HubProcess {
    /// The environment that makes a hub keep its content in `bucket` of an S3 test server, under
    /// `prefix` (pass it to `start(environment:)`); the secret goes through `LGSP_S3_SECRET_KEY`.
    public static func s3Environment(_ server: S3TestServer, bucket: String, prefix: String = "hub-content/") -> [String: String] {
        [
            "LGSP_STORAGE_CONTENT": "s3", "LGSP_STORAGE_S3_ENDPOINT": server.url, "LGSP_STORAGE_S3_BUCKET": bucket,
            "LGSP_STORAGE_S3_PREFIX": prefix, "LGSP_STORAGE_S3_ACCESS_KEY": server.accessKey, "LGSP_S3_SECRET_KEY": server.secretKey,
        ]
    }

    /// The environment that makes a hub keep its content in `folder` (a folder other nodes may share).
    public static func sharedFolderEnvironment(_ folder: String) -> [String: String] {
        ["LGSP_STORAGE_CONTENT": "folder", "LGSP_STORAGE_FOLDER": folder]
    }
}
