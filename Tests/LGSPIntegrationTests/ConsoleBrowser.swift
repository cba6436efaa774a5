import AsyncHTTPClient
import Foundation
import LGSPTesting
import NIOCore
import NIOFoundationCompat
import NIOHTTP1

/// A minimal browser for console tests: plain HTTP over loopback, a cookie jar, and redirects that the
/// test follows by hand (so each hop of the SSO sign-in can be checked).
final class ConsoleBrowser: @unchecked Sendable {
    let url: String
    private(set) var cookies: [String: String] = [:]
    private let client = HTTPClient(
        eventLoopGroupProvider: .singleton, configuration: HTTPClient.Configuration(redirectConfiguration: .disallow))

    struct Page {
        var status: Int
        var headers: HTTPHeaders
        var body: Data
        var text: String { String(decoding: body, as: UTF8.self) }
        var location: String? { headers.first(name: "location") }
        /// The `Set-Cookie` line of `name`, to check its attributes.
        func setCookie(_ name: String) -> String? { headers["set-cookie"].first { $0.hasPrefix(name + "=") } }
    }

    init(url: String) { self.url = url }

    deinit { try? client.syncShutdown() }

    func get(_ target: String, headers: [(String, String)] = []) async throws -> Page {
        try await send("GET", target, headers: headers)
    }

    /// Posts a form (`application/x-www-form-urlencoded`).
    func post(_ target: String, form: [(String, String)]) async throws -> Page {
        let body = form.map { "\(Self.encode($0.0))=\(Self.encode($0.1))" }.joined(separator: "&")
        return try await send("POST", target, headers: [("content-type", "application/x-www-form-urlencoded")], body: Data(body.utf8))
    }

    func send(_ method: String, _ target: String, headers: [(String, String)] = [], body: Data = Data()) async throws -> Page {
        let absolute = target.hasPrefix("http") ? target : url + target
        var request = HTTPClientRequest(url: absolute)
        request.method = HTTPMethod(rawValue: method)
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if !cookies.isEmpty { request.headers.add(name: "cookie", value: cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; ")) }
        if !body.isEmpty { request.body = .bytes(ByteBuffer(data: body)) }
        let response = try await client.execute(request, timeout: .seconds(60))
        let bytes = try await response.body.collect(upTo: 16 << 20)
        for line in response.headers["set-cookie"] {
            let pair = line.split(separator: ";", maxSplits: 1)[0]
            guard let equals = pair.firstIndex(of: "=") else { continue }
            let name = String(pair[..<equals]).trimmingCharacters(in: .whitespaces)
            let value = String(pair[pair.index(after: equals)...])
            if value.isEmpty || line.lowercased().contains("max-age=0") { cookies[name] = nil } else { cookies[name] = value }
        }
        return Page(status: Int(response.status.code), headers: response.headers, body: Data(buffer: bytes))
    }

    /// Follows redirects from `page` (at most `limit`), returning the last answer.
    func follow(_ page: Page, limit: Int = 8) async throws -> Page {
        var current = page
        var hops = 0
        while (300..<400).contains(current.status), let location = current.location, hops < limit {
            current = try await get(location)
            hops += 1
        }
        return current
    }

    /// Signs in through the SSO: `/console/` → `/sso/authorize` (login form) → POST credentials →
    /// `/console/callback` → the page asked for. Returns the hops for the caller to check.
    func signIn(username: String, password: String, start: String = "/console/") async throws -> (authorize: Page, login: Page, callback: Page, landing: Page) {
        let first = try await get(start)
        guard first.status == 303, let authorizeURL = first.location, authorizeURL.contains("/sso/authorize?") else {
            throw HubProcessError(message: "\(start) answered \(first.status) \(first.location ?? "") instead of a redirect to /sso/authorize")
        }
        let form = try await get(authorizeURL)
        var fields = Self.hiddenInputs(form.text)
        fields.append(("username", username))
        fields.append(("password", password))
        let login = try await post("/sso/authorize", form: fields)
        guard (300..<400).contains(login.status), let callbackURL = login.location else {
            return (form, login, login, login)
        }
        let callback = try await get(callbackURL)
        let landing = try await follow(callback)
        return (form, login, callback, landing)
    }

    /// The hidden inputs of a page's form, in order.
    static func hiddenInputs(_ html: String) -> [(String, String)] {
        let pattern = try! NSRegularExpression(pattern: "<input type=\"hidden\" name=\"([^\"]*)\" value=\"([^\"]*)\">")
        let range = NSRange(html.startIndex..., in: html)
        return pattern.matches(in: html, range: range).map { match in
            (unescape(String(html[Range(match.range(at: 1), in: html)!])), unescape(String(html[Range(match.range(at: 2), in: html)!])))
        }
    }

    /// The console's CSRF token on a page (`_csrf` hidden input).
    static func csrf(_ html: String) -> String? { hiddenInputs(html).first { $0.0 == "_csrf" }?.1 }

    static func unescape(_ text: String) -> String {
        text.replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&#39;", with: "'").replacingOccurrences(of: "&lt;", with: "<")
            .replacingOccurrences(of: "&gt;", with: ">").replacingOccurrences(of: "&amp;", with: "&")
    }

    static func encode(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~")) ?? text
    }
}
