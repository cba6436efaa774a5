import Foundation
import LGSPCore

/// The hub's data folder: the SQLite file, the content folder, the master key and the admin credential.
///
/// Files holding secrets are created with mode 0600 and the folder with 0700.
public struct DataFolder: Sendable {
    public let path: String

    public init(path: String) throws {
        self.path = (path as NSString).standardizingPath
        try FileManager.default.createDirectory(atPath: self.path, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
    }

    public var databasePath: String { path + "/lgsp.sqlite" }
    public var contentPath: String { path + "/content" }
    public var masterKeyPath: String { path + "/master.key" }
    public var adminCredentialPath: String { path + "/admin.json" }
    public var demoCredentialsPath: String { path + "/demo-apps.json" }
    /// The audit log's own SQLite file (hash-chained entries and signed checkpoints).
    public var auditDatabasePath: String { path + "/audit.sqlite" }
    /// The Ed25519 key that signs audit checkpoints (base64 of the raw 32 bytes, mode 0600).
    public var auditKeyPath: String { path + "/audit-signing.key" }

    /// The audit checkpoint key, generated in `audit-signing.key` on first start.
    public func auditSigner() throws -> AuditSigner {
        if let text = try? String(contentsOfFile: auditKeyPath, encoding: .utf8) {
            guard let raw = Data(base64Encoded: text.trimmingCharacters(in: .whitespacesAndNewlines)) else {
                throw LGSPError(.storageFailure, "\(auditKeyPath) is not a base64 Ed25519 key")
            }
            return try AuditSigner(rawRepresentation: raw)
        }
        let signer = AuditSigner.generate()
        try writeSecretFile(auditKeyPath, contents: signer.rawRepresentation.base64EncodedString() + "\n")
        return signer
    }

    /// The configured master key, or the one in `master.key`, generated there on first start.
    public func masterKey(configured: String?) throws -> MasterKey {
        if let configured { return try MasterKey(base64: configured) }
        if let text = try? String(contentsOfFile: masterKeyPath, encoding: .utf8) {
            return try MasterKey(base64: text)
        }
        let key = MasterKey.generate()
        try writeSecretFile(masterKeyPath, contents: key.base64 + "\n")
        return key
    }

    /// Writes a file readable only by its owner (0600), atomically.
    public func writeSecretFile(_ filePath: String, contents: String) throws {
        let temporary = filePath + ".tmp"
        _ = FileManager.default.createFile(atPath: temporary, contents: Data(contents.utf8), attributes: [.posixPermissions: 0o600])
        guard rename(temporary, filePath) == 0 else {
            throw LGSPError(.storageFailure, "could not write \(filePath): \(String(cString: strerror(errno)))")
        }
    }
}

/// The content of `admin.json` (and of each app in `demo-apps.json`): a credential pair.
public struct CredentialFile: Codable, Sendable {
    public var accessKey: String
    public var secretKey: String
    public var unit: String?
    public var name: String?

    public init(accessKey: String, secretKey: String, unit: String? = nil, name: String? = nil) {
        self.accessKey = accessKey
        self.secretKey = secretKey
        self.unit = unit
        self.name = name
    }
}
