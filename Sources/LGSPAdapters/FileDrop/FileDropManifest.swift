import Foundation
import LGSPCore

/// The sidecar manifest of a dropped file (`NAME.manifest.json`): who it goes to and what it is.
///
/// ```json
/// {"to": ["000.00.31.H24"], "subject": "Công văn 123", "dataType": "edoc",
///  "priority": "urgent", "mediaType": "application/pdf",
///  "policy": {"notBefore": "2026-12-01T00:00:00Z", "deadline": "2026-12-31T00:00:00Z"}}
/// ```
///
/// `to`, `subject` and `dataType` are required; `priority` (`normal`, `urgent`, `very_urgent`,
/// `flash`; default `normal`), `mediaType` (default `application/octet-stream`) and `policy` are
/// optional. Members are strict: an unknown member is refused (`request.unknown_field`), as the
/// REST API does, so a misspelt `deadlne` never silently drops a deadline.
public struct FileDropManifest: Sendable, Hashable {
    public var to: [String]
    public var subject: String
    public var priority: Priority
    public var dataType: DataType
    public var mediaType: String
    public var policy: PacketPolicy

    /// Largest manifest read, in bytes.
    public static let maxBytes = 64 * 1024

    public init(
        to: [String], subject: String, priority: Priority = .normal, dataType: DataType, mediaType: String = "application/octet-stream",
        policy: PacketPolicy = PacketPolicy()
    ) {
        self.to = to
        self.subject = subject
        self.priority = priority
        self.dataType = dataType
        self.mediaType = mediaType
        self.policy = policy
    }

    /// Decodes a manifest.
    ///
    /// - Throws: `request.body_too_large` past `maxBytes`, `request.malformed_json` for text that is
    ///   not one JSON object, `request.unknown_field`, `request.missing_field`, `request.invalid_field`
    ///   (with the member in `field`), `directory.invalid_data_type`.
    public static func decode(_ data: Data) throws(LGSPError) -> FileDropManifest {
        guard data.count <= maxBytes else {
            throw LGSPError(.bodyTooLarge, "the manifest has \(data.count) bytes; the limit is \(maxBytes)")
        }
        let parsed: Any
        do {
            parsed = try JSONSerialization.jsonObject(with: data, options: [])
        } catch {
            throw LGSPError(.malformedJSON, "the manifest is not valid JSON (UTF-8): \(error.localizedDescription)")
        }
        guard let object = parsed as? [String: Any] else {
            throw LGSPError(.malformedJSON, "the manifest must be one JSON object")
        }
        let known: Set = ["to", "subject", "priority", "dataType", "mediaType", "policy"]
        if let unknown = object.keys.sorted().first(where: { !known.contains($0) }) {
            throw LGSPError(.unknownField, "unknown member '\(unknown)' in the manifest (known: \(known.sorted().joined(separator: ", ")))",
                field: unknown, details: ["member": unknown])
        }
        guard let toValue = object["to"] else { throw missing("to") }
        guard let list = toValue as? [Any], !list.isEmpty else {
            throw LGSPError(.invalidField, "member 'to' must be a non-empty array of unit codes", field: "to")
        }
        var to: [String] = []
        for (index, item) in list.enumerated() {
            guard let code = item as? String else {
                throw LGSPError(.invalidField, "member 'to[\(index)]' must be a unit code string", field: "to[\(index)]")
            }
            to.append(code)
        }
        let subject = try string(object, "subject")
        let dataType = try DataType(try string(object, "dataType"))
        var priority = Priority.normal
        if object["priority"] != nil {
            let text = try string(object, "priority")
            guard let level = Priority(rawValue: text) else {
                throw LGSPError(.invalidField, "member 'priority' must be one of \(Priority.allCases.map(\.rawValue).joined(separator: ", ")), not '\(text)'",
                    field: "priority")
            }
            priority = level
        }
        let mediaType = object["mediaType"] != nil ? try string(object, "mediaType") : "application/octet-stream"
        var policy = PacketPolicy()
        if let value = object["policy"] {
            guard let members = value as? [String: Any] else {
                throw LGSPError(.invalidField, "member 'policy' must be an object", field: "policy")
            }
            if let unknown = members.keys.sorted().first(where: { $0 != "notBefore" && $0 != "deadline" }) {
                throw LGSPError(.unknownField, "unknown member 'policy.\(unknown)' in the manifest (known: deadline, notBefore)",
                    field: "policy.\(unknown)", details: ["member": unknown])
            }
            policy.notBefore = try date(members, "notBefore")
            policy.deadline = try date(members, "deadline")
        }
        return FileDropManifest(to: to, subject: subject, priority: priority, dataType: dataType, mediaType: mediaType, policy: policy)
    }

    /// The core send request for content of `size` bytes with digest `sha256`, sent with `idempotencyKey`.
    public func sendRequest(size: Int64, sha256: ContentDigest, idempotencyKey: String) -> SendRequest {
        SendRequest(
            to: to, subject: subject, priority: priority, dataType: dataType, exchangeProtocol: "file",
            content: ContentDescriptor(size: size, sha256: sha256, mediaType: mediaType), policy: policy, idempotencyKey: idempotencyKey)
    }

    private static func missing(_ name: String) -> LGSPError {
        LGSPError(.missingField, "required member '\(name)' is missing from the manifest", field: name)
    }

    private static func string(_ object: [String: Any], _ name: String) throws(LGSPError) -> String {
        guard let value = object[name] else { throw missing(name) }
        guard let text = value as? String else {
            throw LGSPError(.invalidField, "member '\(name)' must be a string", field: name)
        }
        return text
    }

    private static func date(_ object: [String: Any], _ name: String) throws(LGSPError) -> Date? {
        guard let value = object[name] else { return nil }
        guard let text = value as? String, let date = parseDate(text) else {
            throw LGSPError(.invalidField, "member 'policy.\(name)' must be an ISO 8601 date-time such as 2026-12-31T00:00:00Z", field: "policy.\(name)")
        }
        return date
    }

    /// ISO 8601 with or without fractional seconds.
    static func parseDate(_ text: String) -> Date? {
        let plain = ISO8601DateFormatter()
        if let date = plain.date(from: text) { return date }
        let fractional = ISO8601DateFormatter()
        fractional.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return fractional.date(from: text)
    }
}
