import AsyncHTTPClient
import Foundation
import LGSPAPI
import LGSPAuth
import LGSPCore
import Logging
import NIOCore
import NIOFoundationCompat
import NIOHTTP1
import Synchronization

/// A Swift client for apps connected to an `lgsp` hub: every request signed with AWS Signature V4,
/// clock skew corrected from the hub's own clock, transient failures retried where it is safe
/// (reads, idempotent creates, resumable uploads).
///
/// ```swift
/// let client = LGSPClient(url: "http://127.0.0.1:8080", accessKey: "LGSP…", secretKey: "…")
/// let sent = try await client.send(to: ["000.00.31.H24"], subject: "Công văn", dataType: "edoc", file: "/tmp/cv.pdf")
/// ```
public final class LGSPClient: Sendable {
    public let baseURL: String
    let signer: SigV4Signer
    let http: HTTPClient
    /// Hub time minus local time, in seconds (learned from `GET /v1/time` or a skew error).
    let clockOffset = Mutex<TimeInterval>(0)
    /// How many times a safe request is retried after a transport failure or a 502/503/504.
    public let retries: Int
    let logger: Logger

    /// - Parameters:
    ///   - clockOffset: a known offset of the hub's clock from this machine's (seconds), e.g. one an
    ///     app saved from a previous run; the client keeps correcting it from the hub's answers.
    public init(
        url: String, accessKey: String, secretKey: String, region: String = "vn", service: String = "lgsp", retries: Int = 3,
        clockOffset: TimeInterval = 0, httpClient: HTTPClient = .shared, logger: Logger = Logger(label: "lgsp.client")
    ) {
        self.clockOffset.withLock { $0 = clockOffset }
        baseURL = url.hasSuffix("/") ? String(url.dropLast()) : url
        signer = SigV4Signer(accessKey: accessKey, secretKey: secretKey, region: region, service: service)
        http = httpClient
        self.retries = retries
        self.logger = logger
    }

    /// The access key this client signs with.
    public var accessKey: String { signer.accessKey }

    /// The current estimate of the hub's clock minus this machine's, in seconds.
    public var hubClockOffset: TimeInterval { clockOffset.withLock { $0 } }

    /// Local time corrected by the hub's offset.
    var now: Date { Date().addingTimeInterval(clockOffset.withLock { $0 }) }

    // MARK: Clock

    /// Reads the hub's clock and remembers the offset, so later signatures carry the hub's time.
    @discardableResult
    public func synchronizeClock() async throws -> TimeInterval {
        let started = Date()
        let time: TimeResponse = try await json(.GET, "/v1/time", signed: false)
        let roundTrip = Date().timeIntervalSince(started)
        let offset = time.now.timeIntervalSince(started.addingTimeInterval(roundTrip / 2))
        clockOffset.withLock { $0 = offset }
        return offset
    }

    // MARK: Requests

    /// Sends a signed request with a small (or no) body and decodes the JSON answer.
    func json<T: Decodable>(
        _ method: HTTPMethod, _ path: String, query: [(String, String)] = [], body: (some Encodable)? = Optional<Int>.none,
        signed: Bool = true, retry: Bool? = nil
    ) async throws -> T {
        let data = try body.map { try APICoding.makeEncoder().encode($0) } ?? Data()
        let (status, bytes) = try await send(method, path, query: query, body: data, signed: signed, retry: retry ?? (method == .GET || method == .HEAD))
        guard (200..<300).contains(status) else { throw Self.failure(status: status, body: bytes) }
        do {
            return try APICoding.makeDecoder().decode(T.self, from: bytes)
        } catch {
            throw LGSPClientError.unexpectedResponse(status: status, body: String(decoding: bytes, as: UTF8.self))
        }
    }

    /// One request with its whole body in memory; retries transport failures when `retry`, and
    /// corrects the clock once on `auth.clock_skew`.
    func send(_ method: HTTPMethod, _ path: String, query: [(String, String)], body: Data, signed: Bool, retry: Bool) async throws -> (Int, Data) {
        var attempt = 0
        var correctedClock = false
        while true {
            do {
                let request = try makeRequest(method, path, query: query, body: body, signed: signed)
                let sentAt = Date()
                let response = try await http.execute(request, timeout: .seconds(120))
                let bytes = try await response.body.collect(upTo: 64 << 20)
                let status = Int(response.status.code)
                if status == 401, !correctedClock, let offset = Self.skewOffset(Data(buffer: bytes), sentAt: sentAt) {
                    clockOffset.withLock { $0 = offset }
                    correctedClock = true
                    continue
                }
                if retry, [502, 503, 504].contains(status), attempt < retries {
                    attempt += 1
                    try await backoff(attempt)
                    continue
                }
                return (status, Data(buffer: bytes))
            } catch let error as HTTPClientError where retry && attempt < retries {
                attempt += 1
                logger.debug("retrying after transport failure", metadata: ["error": "\(error)"])
                try await backoff(attempt)
            }
        }
    }

    func backoff(_ attempt: Int) async throws {
        let base = 0.2 * pow(2, Double(attempt - 1))
        try await Task.sleep(for: .milliseconds(Int((base + Double.random(in: 0...base)) * 1000)))
    }

    /// A request for `path` signed over the given body.
    func makeRequest(
        _ method: HTTPMethod, _ path: String, query: [(String, String)], body: Data, signed: Bool, extraHeaders: [(String, String)] = []
    ) throws -> HTTPClientRequest {
        let target = Self.target(path, query: query)
        var request = HTTPClientRequest(url: baseURL + target)
        request.method = method
        let host = try hostHeader()
        var headers: [(name: String, value: String)] = [("host", host)] + extraHeaders.map { ($0.0, $0.1) }
        if !body.isEmpty && !headers.contains(where: { $0.name == "content-type" }) { headers.append(("content-type", "application/json")) }
        if signed {
            let signable = SignableRequest(method: method.rawValue, target: target, headers: headers)
            headers += signer.sign(signable, payloadHash: SigV4Canonical.payloadHash(body), date: now)
        }
        for header in headers { request.headers.add(name: header.name, value: header.value) }
        if !body.isEmpty { request.body = .bytes(ByteBuffer(bytes: body)) }
        return request
    }

    /// `host[:port]` as the hub will see it in the Host header.
    func hostHeader() throws -> String {
        guard let components = URLComponents(string: baseURL), let host = components.host else {
            throw LGSPClientError.invalidInput("'\(baseURL)' is not a hub URL such as http://127.0.0.1:8080")
        }
        if let port = components.port { return "\(host):\(port)" }
        return host
    }

    static func target(_ path: String, query: [(String, String)]) -> String {
        guard !query.isEmpty else { return path }
        return path + "?" + query.map { "\(PercentEncoding.encode($0.0))=\(PercentEncoding.encode($0.1))" }.joined(separator: "&")
    }

    static func failure(status: Int, body: Data) -> LGSPClientError {
        if let problem = try? APICoding.makeDecoder().decode(ProblemBody.self, from: body) {
            return .problem(status: status, problem)
        }
        return .unexpectedResponse(status: status, body: String(decoding: body, as: UTF8.self))
    }

    /// The hub's offset from this machine's clock, from an `auth.clock_skew` problem carrying the hub's time.
    static func skewOffset(_ body: Data, sentAt: Date) -> TimeInterval? {
        guard let problem = try? APICoding.makeDecoder().decode(ProblemBody.self, from: body) else { return nil }
        return ClockSkew.offset(problem, sentAt: sentAt)
    }
}
