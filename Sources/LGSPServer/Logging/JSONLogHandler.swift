import Foundation
import LGSPCore
import Logging
import Synchronization

/// A swift-log `LogHandler` writing one JSON object per line (`log.format: json`), for log
/// collectors: `timestamp` (ISO 8601 UTC, milliseconds), `level`, `label`, `message`, `source`,
/// `requestId` (the request being served, when there is one) and `metadata` (an object).
///
/// Metadata whose key names a secret (`secret`, `password`, `token`, `authorization`, `signature`,
/// `cookie`, in any case) is written as `[redacted]`: the hub never logs secrets, and this keeps a
/// mistake from reaching the collector.
public struct JSONLogHandler: LogHandler {
    /// Where lines go; the writer is called once per line, without the newline, under a lock.
    public struct Output: Sendable {
        let write: @Sendable (String) -> Void

        public init(_ write: @escaping @Sendable (String) -> Void) { self.write = write }

        /// Standard error, one `write(2)` per line so that lines of concurrent tasks never interleave.
        public static let standardError = Output { line in
            FileHandle.standardError.write(Data((line + "\n").utf8))
        }
    }

    public let label: String
    public var logLevel: Logger.Level = .info
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?
    let output: Output
    private static let lock = Mutex(())

    public init(label: String, output: Output = .standardError, metadataProvider: Logger.MetadataProvider? = nil) {
        self.label = label
        self.output = output
        self.metadataProvider = metadataProvider
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var merged = metadata
        if let provided = metadataProvider?.get() { merged.merge(provided) { _, new in new } }
        if let explicit = event.metadata { merged.merge(explicit) { _, new in new } }
        if let error = event.error { merged["error"] = "\(error)" }
        let line = Self.line(
            at: Date(), level: event.level, label: label, message: event.message.description, source: event.source, metadata: merged,
            requestID: RequestID.current)
        Self.lock.withLock { _ in output.write(line) }
    }

    /// The JSON text of one record (no newline). The request id comes from the metadata's
    /// `requestId` when set, else from the request the current task serves.
    static func line(
        at date: Date, level: Logger.Level, label: String, message: String, source: String, metadata: Logger.Metadata, requestID: String?
    ) -> String {
        var object: [String: Any] = [
            "timestamp": date.isoMillis, "level": level.rawValue, "label": label, "message": message, "source": source,
        ]
        var metadata = metadata
        if case .string(let id)? = metadata.removeValue(forKey: "requestId") {
            object["requestId"] = id
        } else if let requestID {
            object["requestId"] = requestID
        }
        if !metadata.isEmpty { object["metadata"] = metadata.mapValues(json).redactingSecrets() }
        guard let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]) else {
            return #"{"level":"error","message":"a log record could not be encoded as JSON"}"#
        }
        return String(decoding: data, as: UTF8.self)
    }

    private static func json(_ value: Logger.Metadata.Value) -> Any {
        switch value {
        case .string(let text): return text
        case .stringConvertible(let convertible): return convertible.description
        case .array(let values): return values.map(json)
        case .dictionary(let dictionary): return dictionary.mapValues(json).redactingSecrets()
        }
    }

    /// Key fragments that name a secret.
    static let secretKeyFragments = ["secret", "password", "token", "authorization", "signature", "cookie"]
}

extension Dictionary where Key == String, Value == Any {
    fileprivate func redactingSecrets() -> [String: Any] {
        var copy = self
        for key in keys where JSONLogHandler.secretKeyFragments.contains(where: { key.lowercased().contains($0) }) {
            copy[key] = "[redacted]"
        }
        return copy
    }
}
