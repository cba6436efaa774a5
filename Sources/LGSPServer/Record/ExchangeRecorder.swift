import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import Synchronization

/// What `record.*` asks the hub to record (see `HubConfiguration`).
public struct RecordConfiguration: Sendable {
    /// The folder cassettes are written to (`<directory>/<app>/<yyyy-MM-dd>.jsonl`); nil: not recording.
    public var directory: String?
    /// Access keys of the apps whose exchanges are recorded; empty: every caller.
    public var apps: Set<String> = []
    /// Whether request and response bodies are kept (JSON as JSON, text as text, else base64).
    public var bodies = false
    /// The largest body kept; a bigger one is left out and the entry says so.
    public var maxBodyBytes = 256 << 10

    public init() {}
}

/// Records every exchange at the adapter boundary into cassette files, one JSON object a line, per
/// app and per day: method, path and query, request headers, status, response headers, timing and,
/// when asked, bodies. Secrets never reach a cassette: `Authorization`, `X-Amz-*`, `Signature*`,
/// `X-LGSP-Session` and cookies are replaced by `[redacted]`, and so are WS-Security passwords and
/// nonces in SOAP bodies and `secretKey`-like members of JSON bodies. `lgsp replay` plays a cassette
/// back against a hub.
///
/// Sits outside `ProblemMiddleware`, so it records the problem documents clients receive.
struct ExchangeRecorderMiddleware: RouterMiddleware {
    typealias Context = HubRequestContext
    let configuration: RecordConfiguration
    let writer: CassetteWriter

    init?(configuration: RecordConfiguration) {
        guard let directory = configuration.directory else { return nil }
        self.configuration = configuration
        writer = CassetteWriter(directory: directory)
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var request = request
        let limit = configuration.maxBodyBytes
        let length = request.headers[.contentLength].flatMap(Int.init)
        var requestBody: ByteBuffer?
        let isSOAP = request.uri.path.hasPrefix("/soap/")
        if let length, length > 0, length <= limit, configuration.bodies || isSOAP {
            requestBody = try await request.collectBody(upTo: limit)
        }
        let app = Self.caller(request, body: requestBody)
        guard configuration.apps.isEmpty || configuration.apps.contains(app) else { return try await next(request, context) }
        let started = Date()
        let clock = ContinuousClock.now
        let head = UncheckedEntry(value: [
            "at": Self.timestamp(started), "app": app,
            "request": [
                "method": request.method.rawValue, "target": request.uri.description, "headers": Self.headers(request.headers),
                "body": body(requestBody, length: length, contentType: request.headers[.contentType]),
            ] as [String: Any],
        ])
        var response = try await next(request, context)
        let status = response.status.code
        let responseHeaders = Self.headers(response.headers)
        let contentType = response.headers[.contentType]
        let original = response.body
        let writer = self.writer
        let keep = configuration.bodies
        let recorder = self
        let capture = BodyCapture(limit: keep ? limit : 0)
        response.body = ResponseBody(contentLength: original.contentLength) { bodyWriter in
            defer {
                var entry = head.value
                entry["durationMs"] = Double(Int((ContinuousClock.now - clock) / .microseconds(1))) / 1000
                let (bytes, total, complete) = capture.result
                let recorded: [String: Any]
                if !keep {
                    recorded = total == 0 ? [:] : ["omitted": "bodies are not recorded", "bytes": total]
                } else if !complete {
                    recorded = ["omitted": "over the \(limit)-byte limit", "bytes": total]
                } else {
                    recorded = recorder.body(bytes, length: total, contentType: contentType)
                }
                entry["response"] = ["status": status, "headers": responseHeaders, "body": recorded] as [String: Any]
                writer.append(entry, app: app, day: started)
            }
            try await original.map { buffer in
                capture.add(buffer)
                return buffer
            }.write(bodyWriter)
        }
        return response
    }

    /// A body as a cassette keeps it: `{json: …}`, `{text: …}`, `{base64: …}` or `{omitted: why, bytes: n}`.
    func body(_ buffer: ByteBuffer?, length: Int?, contentType: String?) -> [String: Any] {
        guard configuration.bodies else {
            if let length, length > 0 { return ["omitted": "bodies are not recorded", "bytes": length] }
            return [:]
        }
        guard let buffer else {
            if let length, length > 0 { return ["omitted": "over the \(configuration.maxBodyBytes)-byte limit", "bytes": length] }
            return [:]
        }
        return Self.body(Data(buffer.readableBytesView), contentType: contentType)
    }

    static func body(_ data: Data, contentType: String?) -> [String: Any] {
        if data.isEmpty { return [:] }
        let type = contentType?.lowercased() ?? ""
        if type.contains("json"), let value = try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed]) {
            return ["json": Redaction.json(value)]
        }
        if type.hasPrefix("text/") || type.contains("xml"), let text = String(data: data, encoding: .utf8) {
            return ["text": Redaction.soap(text)]
        }
        return ["base64": data.base64EncodedString()]
    }

    /// The caller's access key: from a SigV4 `Authorization` or presigned query, an HTTP message
    /// signature's `keyid`, or a WS-Security `Username`; else `anonymous`.
    static func caller(_ request: Request, body: ByteBuffer?) -> String {
        if let authorization = request.headers[.authorization], let key = value(after: "Credential=", in: authorization, until: "/") { return key }
        if let key = value(after: "X-Amz-Credential=", in: request.uri.query ?? "", until: "%") { return key }
        if let input = request.headers[HTTPField.Name("Signature-Input")!], let key = value(after: "keyid=\"", in: input, until: "\"") { return key }
        if let body, let text = String(data: Data(body.readableBytesView), encoding: .utf8),
            let range = text.range(of: #"<([A-Za-z0-9_]+:)?Username[^>]*>([^<]{1,128})</"#, options: .regularExpression)
        {
            let match = String(text[range])
            if let start = match.firstIndex(of: ">"), let end = match.range(of: "</") {
                return String(match[match.index(after: start)..<end.lowerBound]).trimmingCharacters(in: .whitespaces)
            }
        }
        return "anonymous"
    }

    private static func value(after marker: String, in text: String, until end: Character) -> String? {
        guard let range = text.range(of: marker) else { return nil }
        let rest = text[range.upperBound...]
        let value = rest.prefix { $0 != end && $0 != "," && $0 != "&" }
        return value.isEmpty ? nil : String(value.prefix(128))
    }

    /// Headers by lower-case name (repeated ones joined with `, `), secrets redacted.
    static func headers(_ fields: HTTPFields) -> [String: String] {
        var result: [String: String] = [:]
        for field in fields {
            let name = field.name.canonicalName
            if name == "host" || name == "connection" { continue }
            let value = Redaction.isSecretHeader(name) ? Redaction.marker : field.value
            result[name] = result[name].map { "\($0), \(value)" } ?? value
        }
        return result
    }

    static func timestamp(_ date: Date) -> String {
        Date.ISO8601FormatStyle(includingFractionalSeconds: true).format(date)
    }
}

/// A cassette entry under construction, handed to the response body's writer.
struct UncheckedEntry: @unchecked Sendable {
    let value: [String: Any]
}

/// Removes secrets from what a cassette keeps.
enum Redaction {
    static let marker = "[redacted]"

    static func isSecretHeader(_ name: String) -> Bool {
        let name = name.lowercased()
        return name == "authorization" || name == "proxy-authorization" || name == "cookie" || name == "set-cookie" || name.hasPrefix("x-amz-")
            || name.hasPrefix("signature") || name == "x-lgsp-session"
    }

    static let secretMembers: Set<String> = ["secretkey", "password", "secret", "clientsecret", "masterkey", "privatekey"]

    /// JSON with the values of `secretKey`-like members replaced.
    static func json(_ value: Any) -> Any {
        if let object = value as? [String: Any] {
            var result: [String: Any] = [:]
            for (key, member) in object { result[key] = secretMembers.contains(key.lowercased()) ? marker : json(member) }
            return result
        }
        if let array = value as? [Any] { return array.map(json) }
        return value
    }

    /// SOAP/XML with WS-Security `Password` and `Nonce` element contents replaced.
    static func soap(_ text: String) -> String {
        var text = text
        for element in ["Password", "Nonce"] {
            text = text.replacingOccurrences(
                of: "(<([A-Za-z0-9_]+:)?\(element)\\b[^>]*>)[^<]*(</)", with: "$1\(marker)$3", options: .regularExpression)
        }
        return text
    }
}

/// The first bytes of a response body, up to a limit, and its full length.
final class BodyCapture: Sendable {
    private let state = Mutex<(bytes: Data, total: Int)>((Data(), 0))
    let limit: Int

    init(limit: Int) { self.limit = limit }

    func add(_ buffer: ByteBuffer) {
        state.withLock {
            $0.total += buffer.readableBytes
            if $0.total <= limit { $0.bytes.append(contentsOf: buffer.readableBytesView) }
        }
    }

    /// The bytes kept, the length seen, and whether the bytes are the whole body.
    var result: (ByteBuffer, Int, Bool) {
        state.withLock { (ByteBuffer(bytes: $0.bytes), $0.total, $0.total <= limit) }
    }
}

/// Appends entries to `<directory>/<app>/<yyyy-MM-dd>.jsonl` (UTC days), one `write` per line.
final class CassetteWriter: Sendable {
    let directory: String
    private let lock = Mutex<Void>(())

    init(directory: String) { self.directory = directory }

    func append(_ entry: [String: Any], app: String, day: Date) {
        guard var line = try? JSONSerialization.data(withJSONObject: entry, options: [.sortedKeys, .withoutEscapingSlashes]) else { return }
        line.append(0x0A)
        let safe = String(app.map { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == ".") ? $0 : "_" }.prefix(128))
        let folder = directory + "/" + (safe.isEmpty || safe.hasPrefix(".") ? "_" + safe : safe)
        let path = folder + "/" + day.formatted(.iso8601.year().month().day().dateSeparator(.dash)) + ".jsonl"
        lock.withLock { _ in
            try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            let fd = open(path, O_WRONLY | O_APPEND | O_CREAT, 0o600)
            guard fd >= 0 else { return }
            defer { close(fd) }
            _ = line.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        }
    }
}
