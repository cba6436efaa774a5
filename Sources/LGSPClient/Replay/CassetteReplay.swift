import AsyncHTTPClient
import Foundation
import NIOCore
import NIOFoundationCompat
import NIOHTTP1

/// One recorded exchange of a cassette (a line of the JSON Lines file the hub's recorder writes).
public struct CassetteEntry: @unchecked Sendable {
    public var app: String
    public var method: String
    public var target: String
    public var requestHeaders: [String: String]
    public var requestBody: [String: Any]
    public var status: Int
    public var responseHeaders: [String: String]
    public var responseBody: [String: Any]

    /// Reads a cassette: one JSON object a line; blank lines and lines without a `request` (e.g. a
    /// `{"cassette": …}` header describing the setup) are skipped.
    public static func load(_ path: String) throws -> [CassetteEntry] {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        var entries: [CassetteEntry] = []
        for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: true).enumerated() {
            guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else {
                throw LGSPClientError.invalidInput("\(path):\(number + 1): not a JSON object")
            }
            guard let request = object["request"] as? [String: Any], let response = object["response"] as? [String: Any] else { continue }
            entries.append(
                CassetteEntry(
                    app: object["app"] as? String ?? "anonymous", method: request["method"] as? String ?? "GET", target: request["target"] as? String ?? "/",
                    requestHeaders: request["headers"] as? [String: String] ?? [:], requestBody: request["body"] as? [String: Any] ?? [:],
                    status: response["status"] as? Int ?? 0, responseHeaders: response["headers"] as? [String: String] ?? [:],
                    responseBody: response["body"] as? [String: Any] ?? [:]))
        }
        return entries
    }
}

/// One difference between a recorded and a replayed response: `field` is a JSON path such as
/// `$.items[0].state`, or `status`, `header content-type`, `body`.
public struct ReplayDifference: Sendable, CustomStringConvertible {
    public var field: String
    public var expected: String
    public var actual: String
    public var description: String { "\(field): \(expected) → \(actual)" }
}

/// The outcome of one replayed exchange.
public struct ReplayResult: Sendable {
    public var index: Int
    public var method: String
    public var target: String
    public var status: Int
    public var differences: [ReplayDifference]
}

/// Plays recorded exchanges against a hub, signing each request again (SigV4) with the credential
/// given for the recorded app, and compares each answer with the recorded one.
///
/// Values the hub generates (packet ids, dates, request ids, ETags, URLs) are not compared; where a
/// recorded one differs from the replayed one, the pair is remembered and the replayed value is put
/// in place of the recorded one in later request targets and bodies (and in later expected
/// answers), so that `POST /v1/packets/<recorded id>/accept` becomes the new packet's accept.
public final class CassetteReplayer: @unchecked Sendable {
    let url: String
    let credentials: [String: LGSPClient]
    let fallback: LGSPClient?
    /// Recorded value → replayed value, longest first when applied.
    private(set) var substitutions: [String: String] = [:]

    /// - Parameters:
    ///   - credentials: recorded access key → (access key, secret key) to sign that app's requests with.
    ///   - fallback: the credential for every other recorded app.
    public init(hub url: String, credentials: [String: (String, String)] = [:], fallback: (String, String)? = nil) {
        self.url = url
        self.credentials = credentials.mapValues { LGSPClient(url: url, accessKey: $0.0, secretKey: $0.1, retries: 0) }
        self.fallback = fallback.map { LGSPClient(url: url, accessKey: $0.0, secretKey: $0.1, retries: 0) }
    }

    public func replay(_ entries: [CassetteEntry]) async throws -> [ReplayResult] {
        var results: [ReplayResult] = []
        for (index, entry) in entries.enumerated() {
            results.append(try await replay(entry, index: index + 1))
        }
        return results
    }

    func replay(_ entry: CassetteEntry, index: Int) async throws -> ReplayResult {
        let target = substitute(entry.target)
        var result = ReplayResult(index: index, method: entry.method, target: target, status: 0, differences: [])
        let body: Data
        switch requestBody(entry.requestBody) {
        case .success(let data): body = data
        case .failure(let reason):
            result.differences.append(ReplayDifference(field: "request body", expected: "recorded", actual: reason.reason))
            return result
        }
        let signed = entry.requestHeaders["authorization"] != nil
        guard let client = credentials[entry.app] ?? fallback ?? credentials.values.first else {
            throw LGSPClientError.invalidInput("no credential to sign the requests of \(entry.app) with")
        }
        let skipped: Set<String> = ["content-length", "date", "user-agent", "x-request-id", "transfer-encoding", "expect", "accept-encoding"]
        let headers = entry.requestHeaders.filter { !skipped.contains($0.key) && $0.value != "[redacted]" }.sorted { $0.key < $1.key }
            .map { ($0.key, substitute($0.value)) }
        let request = try client.makeRequest(HTTPMethod(rawValue: entry.method), target, query: [], body: body, signed: signed, extraHeaders: headers)
        let response = try await client.http.execute(request, timeout: .seconds(60))
        let bytes = Data(buffer: try await response.body.collect(upTo: 64 << 20))
        result.status = Int(response.status.code)
        if result.status != entry.status {
            result.differences.append(ReplayDifference(field: "status", expected: "\(entry.status)", actual: "\(result.status)"))
        }
        let contentType = response.headers.first(name: "content-type")
        if let expected = entry.responseHeaders["content-type"], expected != contentType {
            result.differences.append(ReplayDifference(field: "header content-type", expected: expected, actual: contentType ?? "(none)"))
        }
        result.differences += compareBody(entry.responseBody, actual: bytes, contentType: contentType)
        return result
    }

    // MARK: Requests

    func requestBody(_ body: [String: Any]) -> Result<Data, BodyUnavailable> {
        if let json = body["json"] {
            guard let data = try? JSONSerialization.data(withJSONObject: json, options: [.fragmentsAllowed, .sortedKeys, .withoutEscapingSlashes]) else {
                return .failure(BodyUnavailable(reason: "unencodable JSON"))
            }
            return .success(Data(substitute(String(decoding: data, as: UTF8.self)).utf8))
        }
        if let text = body["text"] as? String { return .success(Data(substitute(text).utf8)) }
        if let base64 = body["base64"] as? String, let data = Data(base64Encoded: base64) { return .success(data) }
        if let reason = body["omitted"] as? String { return .failure(BodyUnavailable(reason: "not in the cassette (\(reason))")) }
        return .success(Data())
    }

    struct BodyUnavailable: Error { var reason: String }

    func substitute(_ text: String) -> String {
        var text = text
        for (recorded, replayed) in substitutions.sorted(by: { $0.key.count > $1.key.count }) {
            text = text.replacingOccurrences(of: recorded, with: replayed)
        }
        return text
    }

    // MARK: Comparison

    func compareBody(_ expected: [String: Any], actual data: Data, contentType: String?) -> [ReplayDifference] {
        if expected["omitted"] != nil { return [] }
        if let json = expected["json"] {
            guard let actual = try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed]) else {
                return [ReplayDifference(field: "body", expected: "JSON", actual: "\(data.count) bytes of \(contentType ?? "no type")")]
            }
            var differences: [ReplayDifference] = []
            compare(json, actual, path: "$", key: nil, into: &differences)
            return differences
        }
        if let text = expected["text"] as? String {
            learn(from: substitute(text), String(decoding: data, as: UTF8.self))
            let actual = Self.masked(String(decoding: data, as: UTF8.self))
            let wanted = Self.masked(substitute(text))
            guard actual != wanted else { return [] }
            if let element = Self.xmlDifference(wanted, actual) { return [element] }
            let (a, b) = (wanted.split(separator: "\n", omittingEmptySubsequences: false), actual.split(separator: "\n", omittingEmptySubsequences: false))
            let line = zip(a, b).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(a.count, b.count)
            return [
                ReplayDifference(
                    field: "body line \(line + 1)", expected: Self.quote(line < a.count ? String(a[line]) : "(end)"),
                    actual: Self.quote(line < b.count ? String(b[line]) : "(end)"))
            ]
        }
        let wanted = (expected["base64"] as? String).flatMap { Data(base64Encoded: $0) } ?? Data()
        guard wanted != data else { return [] }
        return [ReplayDifference(field: "body", expected: "\(wanted.count) bytes", actual: "\(data.count) bytes (different content)")]
    }

    /// Text answers (SOAP): ids in the recorded and the replayed text are paired in order of appearance.
    func learn(from expected: String, _ actual: String) {
        let pattern = #"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"#
        func ids(_ text: String) -> [String] {
            var found: [String] = []
            var rest = text[...]
            while let range = rest.range(of: pattern, options: .regularExpression) {
                found.append(String(rest[range]))
                rest = rest[range.upperBound...]
            }
            return found
        }
        let (recorded, replayed) = (ids(expected), ids(actual))
        guard recorded.count == replayed.count else { return }
        for (e, a) in zip(recorded, replayed) where e != a && substitutions[e] == nil { substitutions[e] = a }
    }

    func compare(_ expected: Any, _ actual: Any, path: String, key: String?, into differences: inout [ReplayDifference]) {
        switch (expected, actual) {
        case (let e as [String: Any], let a as [String: Any]):
            for name in Set(e.keys).union(a.keys).sorted() {
                let child = path + "." + name
                switch (e[name], a[name]) {
                case (let ev?, let av?): compare(ev, av, path: child, key: name, into: &differences)
                case (let ev?, nil): differences.append(ReplayDifference(field: child, expected: Self.render(ev), actual: "(missing)"))
                case (nil, let av?): differences.append(ReplayDifference(field: child, expected: "(missing)", actual: Self.render(av)))
                default: break
                }
            }
        case (let e as [Any], let a as [Any]):
            if e.count != a.count {
                differences.append(ReplayDifference(field: path, expected: "\(e.count) items", actual: "\(a.count) items"))
            }
            for (offset, pair) in zip(e, a).enumerated() { compare(pair.0, pair.1, path: "\(path)[\(offset)]", key: key, into: &differences) }
        case (let e as String, let a as String):
            let wanted = substitute(e)
            guard wanted != a else { return }
            if Self.isVolatile(key: key, value: e) {
                if e.count >= 6 && substitutions[e] == nil { substitutions[e] = a }
                return
            }
            differences.append(ReplayDifference(field: path, expected: Self.render(wanted), actual: Self.render(a)))
        default:
            if let key, Self.isVolatile(key: key, value: expected) { return }
            if !Self.equal(expected, actual) {
                differences.append(ReplayDifference(field: path, expected: Self.render(expected), actual: Self.render(actual)))
            }
        }
    }

    /// Generated by the hub, not compared: ids, dates and times, request ids, ETags, URLs, and values
    /// that look like dates or UUIDs.
    static func isVolatile(key: String?, value: Any) -> Bool {
        if let key {
            let lower = key.lowercased()
            if lower == "id" || key.hasSuffix("Id") || key.hasSuffix("ID") || key.hasSuffix("Ids") || lower == "at" || key.hasSuffix("At") || lower.contains("date")
                || lower.contains("time") || lower.contains("url") || lower == "etag" || lower.contains("expires") || lower == "cursor" || lower == "next"
                || lower == "before" || lower == "token" || lower == "sequence" || lower == "seq"
            {
                return true
            }
        }
        if let text = value as? String {
            return text.range(of: #"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}"#, options: .regularExpression) != nil
                || text.range(of: #"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"#, options: .regularExpression) != nil
        }
        return false
    }

    /// Where two XML texts first differ, named by the enclosing element: `body <lgsp:State>: "a" → "b"`.
    static func xmlDifference(_ expected: String, _ actual: String) -> ReplayDifference? {
        let e = Array(expected.unicodeScalars)
        let a = Array(actual.unicodeScalars)
        var index = 0
        while index < e.count && index < a.count && e[index] == a[index] { index += 1 }
        // The last start tag opened before the difference, and the element's content from there.
        guard let open = e[..<index].lastIndex(of: "<"), open + 1 < e.count, e[open + 1] != "/" && e[open + 1] != "?" else { return nil }
        guard let close = e[open...].firstIndex(of: ">"), close < index else { return nil }
        let tag = String(String.UnicodeScalarView(e[(open + 1)..<close])).split(separator: " ").first.map(String.init) ?? ""
        func content(_ scalars: [Unicode.Scalar]) -> String {
            let start = close + 1
            guard start <= scalars.count else { return "(end)" }
            let end = scalars[start...].firstIndex(of: "<") ?? scalars.count
            return String(String.UnicodeScalarView(scalars[start..<end]))
        }
        guard !tag.isEmpty, !tag.hasSuffix("/") else { return nil }
        return ReplayDifference(field: "body <\(tag)>", expected: quote(content(e)), actual: quote(content(a)))
    }

    /// Text with timestamps and UUIDs replaced, for comparing text bodies such as SOAP answers.
    static func masked(_ text: String) -> String {
        text.replacingOccurrences(of: #"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:?\d{2})?"#, with: "<time>", options: .regularExpression)
            .replacingOccurrences(of: #"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"#, with: "<uuid>", options: .regularExpression)
    }

    static func equal(_ a: Any, _ b: Any) -> Bool {
        (a as? NSObject).map { $0.isEqual(b) } ?? false
    }

    static func render(_ value: Any) -> String {
        if let text = value as? String { return quote(text) }
        if value is NSNull { return "null" }
        if let data = try? JSONSerialization.data(withJSONObject: value, options: [.fragmentsAllowed, .sortedKeys, .withoutEscapingSlashes]) {
            let text = String(decoding: data, as: UTF8.self)
            return text.count > 200 ? String(text.prefix(200)) + "…" : text
        }
        return "\(value)"
    }

    static func quote(_ text: String) -> String {
        "\"" + (text.count > 200 ? String(text.prefix(200)) + "…" : text) + "\""
    }
}
