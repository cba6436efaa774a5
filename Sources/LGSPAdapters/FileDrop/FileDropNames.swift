import Crypto
import Foundation
import LGSPCore

/// The naming rules of file-drop folders, without I/O.
///
/// In `inbox/`, a payload `NAME` travels with its manifest `NAME.manifest.json`; `NAME.done` is an
/// optional marker; anything ending in `.part` is still being written. Hidden names (a leading dot)
/// are other programs' temporary files (rsync, editors) and are left alone until a manifest commits them.
public enum FileDropNames {
    public static let manifestSuffix = ".manifest.json"
    public static let doneSuffix = ".done"
    public static let partSuffix = ".part"
    public static let errorSuffix = ".error.txt"
    public static let receiptSuffix = ".receipt.json"
    /// The longest payload name accepted, in UTF-8 bytes (leaves room for the suffixes within 255).
    public static let maxNameBytes = 200

    /// What one name in `inbox/` is.
    public enum Role: Sendable, Hashable {
        /// A payload (or something posing as one).
        case payload
        /// The manifest of the payload `of`.
        case manifest(of: String)
        /// The completion marker of the payload `of`.
        case done(of: String)
        /// Still being written, or a hidden temporary file: ignored.
        case ignored
    }

    public static func role(of name: String) -> Role {
        if name.hasSuffix(partSuffix) { return .ignored }
        if name.hasSuffix(manifestSuffix), name.count > manifestSuffix.count {
            return .manifest(of: String(name.dropLast(manifestSuffix.count)))
        }
        if name.hasSuffix(doneSuffix), name.count > doneSuffix.count { return .done(of: String(name.dropLast(doneSuffix.count))) }
        if name.hasPrefix(".") { return .ignored }
        return .payload
    }

    /// Why a payload name is unsafe to handle (`filedrop.unsafe_file`), or nil if it is fine: empty,
    /// `.`/`..`, a slash or backslash, `..` anywhere, a control character, a leading dot, too long.
    public static func unsafety(of name: String) -> String? {
        if name.isEmpty { return "the name is empty" }
        if name == "." || name == ".." || name.contains("..") { return "the name contains '..'" }
        if name.contains("/") || name.contains("\\") { return "the name contains a path separator" }
        if name.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F || (0x80...0x9F).contains($0.value) }) {
            return "the name contains a control character"
        }
        if name.hasPrefix(".") { return "the name starts with a dot (hidden files are never sent)" }
        if name.utf8.count > maxNameBytes { return "the name has \(name.utf8.count) bytes; the limit is \(maxNameBytes)" }
        return nil
    }

    /// The idempotency key of a dropped file: the same file (same app, name, size, modification time
    /// and content) always gives the same key, so a pickup repeated after a crash returns the packet
    /// the first attempt created instead of sending a second one.
    public static func idempotencyKey(accessKey: String, name: String, size: Int64, modifiedNanoseconds: Int64, sha256: ContentDigest) -> String {
        var hasher = SHA256()
        for part in [accessKey, name, String(size), String(modifiedNanoseconds), sha256.hex] {
            hasher.update(data: Data(part.utf8))
            hasher.update(data: Data([0]))
        }
        return "filedrop:" + ContentDigest(hasher.finalize()).hex
    }

    /// The payload's name in `outbox/`: `PACKETID.EXT`, the extension from the media type.
    public static func outboxPayload(_ id: PacketID, mediaType: String) -> String {
        "\(id.rawValue).\(fileExtension(for: mediaType))"
    }

    /// The delivery manifest's name in `outbox/` (and in `done/` once the app moved it).
    public static func outboxManifest(_ id: PacketID) -> String { id.rawValue + manifestSuffix }

    /// A file extension for a media type (`bin` when unknown).
    public static func fileExtension(for mediaType: String) -> String {
        let base = mediaType.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
        let known: [String: String] = [
            "application/pdf": "pdf", "application/json": "json", "application/xml": "xml", "text/xml": "xml", "text/plain": "txt",
            "text/csv": "csv", "application/zip": "zip", "image/png": "png", "image/jpeg": "jpg", "application/msword": "doc",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx", "application/vnd.ms-excel": "xls",
            "application/pkcs7-signature": "p7s", "application/octet-stream": "bin",
        ]
        if let ext = known[base] { return ext }
        if base.hasSuffix("+json") { return "json" }
        if base.hasSuffix("+xml") { return "xml" }
        return "bin"
    }

    /// A name in `target` not taken yet: `name`, else `name.2`, `name.3`… (checked with `isTaken` on
    /// the name and the suffixed companions that would be written beside it).
    public static func free(_ name: String, isTaken: (String) -> Bool, companions: [String]) -> String {
        var candidate = name
        var counter = 1
        while isTaken(candidate) || companions.contains(where: { isTaken(candidate + $0) }) {
            counter += 1
            candidate = "\(name).\(counter)"
        }
        return candidate
    }
}
