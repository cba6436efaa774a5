import ArgumentParser
import Crypto
import Foundation
import LGSPAuth
import LGSPCore
import _CryptoExtras

/// `lgsp bench auth`: in-process signature verification per scheme and algorithm, beside the raw
/// swift-crypto primitive each rests on, measured in the same run; then session-token issuance.
///
/// Every case is the hub's work for one realistic signed request, a `POST /v1/packets` with a
/// 300-byte JSON body, signed the way its client would sign it: the body's SHA-256 (what the route
/// computes before authenticating), `SignatureScheme.parse(_:now:)` and the returned `verify` with
/// the app's credentials. No HTTP, no store: the credential lookup and nonce cache are left out.
/// The primitive beside it is the one cryptographic operation the scheme relies on, over a message
/// as long as the string the scheme signs (for RSA: the digest of it and one verification).
/// One thread, `--duration` seconds per figure after a warm-up of a tenth of it.
struct AuthBenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "auth",
        abstract: "Signature verifications/s per scheme beside the raw crypto primitive, and session issuance/s (in-process).")

    @Option(help: "Seconds measured per figure (after a warm-up of a tenth of it).") var duration = 2.0
    @Option(help: "Concurrent tasks for the concurrent session-issuance figure (default: twice the cores).") var tasks: Int?
    @Flag(help: "Print the results as JSON.") var json = false

    struct Figure: Codable {
        var name: String
        /// Bytes of the string the scheme MACs or signs.
        var signedBytes: Int
        var perSecond: Double
        var primitive: String
        var primitivePerSecond: Double
        /// The scheme's rate over the primitive's: the share of the time the primitive takes.
        var primitiveShare: Double { perSecond / primitivePerSecond }
    }

    struct Primitive: Codable {
        var name: String
        var perSecond: Double
    }

    struct Sessions: Codable {
        var issuedPerSecondOneTask: Double
        var issuedPerSecondConcurrent: Double
        var concurrentTasks: Int
        var verifiedPerSecond: Double
        var es256SignPerSecond: Double
        var es256VerifyPerSecond: Double
        var tokenBytes: Int
        var target: Double = 5_000
    }

    struct Results: Codable {
        var durationPerFigure: Double
        var bodyBytes: Int
        var schemes: [Figure]
        var primitives: [Primitive]
        var sessions: Sessions
    }

    func run() async throws {
        let fixture = try AuthBenchFixture()
        var figures: [Figure] = []
        for benchCase in try fixture.cases() {
            // Every case must verify before it is timed: a figure for a failing path would mean nothing.
            do {
                _ = try benchCase.verifyOnce()
            } catch {
                Output.error("error: \(benchCase.name) does not verify: \(error)")
                throw ExitCode(2)
            }
            let rate = try measure { _ = try benchCase.verifyOnce() }
            let primitiveRate = try measure(benchCase.primitive)
            figures.append(Figure(
                name: benchCase.name, signedBytes: benchCase.signedBytes, perSecond: rate, primitive: benchCase.primitiveName,
                primitivePerSecond: primitiveRate))
            if !json {
                Output.line(String(format: "  %@: %.0f/s (primitive %@: %.0f/s)", benchCase.name, rate, benchCase.primitiveName, primitiveRate))
            }
        }
        var primitives: [Primitive] = []
        for (name, body) in fixture.extraPrimitives() {
            primitives.append(Primitive(name: name, perSecond: try measure(body)))
        }
        let sessions = try await measureSessions(fixture)
        let results = Results(durationPerFigure: duration, bodyBytes: fixture.body.count, schemes: figures, primitives: primitives, sessions: sessions)
        report(results)
    }

    // MARK: Sessions

    private func measureSessions(_ fixture: AuthBenchFixture) async throws -> Sessions {
        let authority = SessionAuthority(store: InMemorySigningKeyStore(), issuer: "lgsp-bench")
        try await authority.load()
        let consumer = UnitCode(level1: "H23", level2: 1)
        let service = ServiceRef(unit: UnitCode(level1: "H23", level2: 2), name: "echo")
        let consumerApp = fixture.accessKey
        @Sendable func claims() -> SessionClaims {
            let now = Date()
            return SessionClaims(
                issuer: "lgsp-bench", consumerUnit: consumer, service: service, consumerApp: consumerApp, scope: ["read"],
                issuedAt: now, expiresAt: now.addingTimeInterval(300), id: CredentialGenerator.identifier())
        }
        let token = try await authority.sign(claims())
        let one = try await measureAsync(tasks: 1) { _ = try await authority.sign(claims()) }
        let concurrency = tasks ?? max(2, ProcessInfo.processInfo.activeProcessorCount * 2)
        let concurrent = try await measureAsync(tasks: concurrency) { _ = try await authority.sign(claims()) }
        let verified = try await measureAsync(tasks: 1) { _ = try await authority.verify(token) }
        // The raw ES256 operations over a message as long as a token's signing input.
        let key = P256.Signing.PrivateKey()
        let input = Data(token.split(separator: ".").prefix(2).joined(separator: ".").utf8)
        let signature = try key.signature(for: input)
        let sign = try measure { _ = try key.signature(for: input) }
        let verify = try measure {
            guard key.publicKey.isValidSignature(signature, for: input) else { throw AuthBenchFailure("ES256 primitive did not verify") }
        }
        return Sessions(
            issuedPerSecondOneTask: one, issuedPerSecondConcurrent: concurrent, concurrentTasks: concurrency, verifiedPerSecond: verified,
            es256SignPerSecond: sign, es256VerifyPerSecond: verify, tokenBytes: token.utf8.count)
    }

    // MARK: Measuring

    /// Operations per second over `duration`, after a warm-up of a tenth of it, on this thread.
    private func measure(_ body: () throws -> Void) throws -> Double {
        try BenchSupport.rate(duration: duration, batch: 8, body)
    }

    /// Operations per second of `tasks` concurrent loops over `duration`, after a warm-up.
    private func measureAsync(tasks: Int, _ body: @escaping @Sendable () async throws -> Void) async throws -> Double {
        let clock = ContinuousClock()
        let warmUp = clock.now.advanced(by: .seconds(duration / 10))
        while clock.now < warmUp { try await body() }
        let start = clock.now
        let end = start.advanced(by: .seconds(duration))
        let count = try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<tasks {
                group.addTask {
                    var done = 0
                    while clock.now < end {
                        try await body()
                        done += 1
                    }
                    return done
                }
            }
            return try await group.reduce(0, +)
        }
        return Double(count) / (clock.now - start).seconds
    }

    // MARK: Output

    private func report(_ results: Results) {
        if json {
            try? Output.json(results)
            return
        }
        Output.line("")
        Output.line(String(format: "lgsp bench auth — one thread, %.1f s per figure; POST /v1/packets with a %d-byte JSON body", results.durationPerFigure, results.bodyBytes))
        Output.table(
            ["scheme / algorithm", "signed bytes", "parse+verify/s", "primitive", "primitive/s", "scheme ÷ primitive"],
            results.schemes.map {
                [$0.name, "\($0.signedBytes)", String(format: "%.0f", $0.perSecond), $0.primitive, String(format: "%.0f", $0.primitivePerSecond),
                 String(format: "%.0f %%", $0.primitiveShare * 100)]
            })
        Output.line("")
        Output.table(["other primitive", "per second"], results.primitives.map { [$0.name, String(format: "%.0f", $0.perSecond)] })
        let sessions = results.sessions
        Output.line("")
        Output.line(String(format: "session issuance (SessionAuthority.sign, ES256, %d-byte token): %.0f/s one task, %.0f/s with %d tasks (target ≥ %.0f/s: %@)",
            sessions.tokenBytes, sessions.issuedPerSecondOneTask, sessions.issuedPerSecondConcurrent, sessions.concurrentTasks, sessions.target,
            max(sessions.issuedPerSecondOneTask, sessions.issuedPerSecondConcurrent) >= sessions.target ? "met" : "NOT met"))
        Output.line(String(format: "session verification (SessionAuthority.verify): %.0f/s; raw ES256 sign %.0f/s, verify %.0f/s",
            sessions.verifiedPerSecond, sessions.es256SignPerSecond, sessions.es256VerifyPerSecond))
    }
}

struct AuthBenchFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// Token-signing keys in memory, for the session-issuance figure.
actor InMemorySigningKeyStore: SigningKeyStore {
    private var keys: [StoredSigningKey] = []

    func signingKeys() async throws -> [StoredSigningKey] { keys.sorted { $0.createdAt > $1.createdAt } }

    func addSigningKey(_ key: StoredSigningKey) async throws { keys.append(key) }

    func retireSigningKeys(except kid: String, at date: Date) async throws {
        for index in keys.indices where keys[index].kid != kid && keys[index].retiredAt == nil { keys[index].retiredAt = date }
    }
}

/// The requests, keys and credentials the auth benchmark signs and verifies.
struct AuthBenchFixture {
    let accessKey = CredentialGenerator.accessKey()
    let secretKey = CredentialGenerator.secretKey()
    let rsaKey: _RSA.Signing.PrivateKey
    let body: Data
    let host = "lgsp.example.gov.vn"
    let now = Date()

    /// One measured case: a signed request and the scheme that verifies it, beside its primitive.
    struct Case {
        var name: String
        var signedBytes: Int
        var verifyOnce: () throws -> Int
        var primitiveName: String
        var primitive: () throws -> Void
    }

    init() throws {
        rsaKey = try _RSA.Signing.PrivateKey(keySize: .bits2048)
        body = Self.jsonBody(bytes: 300)
    }

    /// A packet-creation body of exactly `bytes` bytes (the subject is padded to fit).
    static func jsonBody(bytes: Int) -> Data {
        func make(_ padding: Int) -> String {
            #"{"to":["000.00.31.H24"],"subject":"Công văn số 123/UBND-VP về việc báo cáo \#(String(repeating: "x", count: padding))","dataType":"edoc","content":{"size":482113,"sha256":"9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08","mediaType":"application/pdf"}}"#
        }
        let base = make(0).utf8.count
        return Data(make(max(0, bytes - base)).utf8)
    }

    var request: SignableRequest {
        SignableRequest(
            method: "POST", rawPath: "/v1/packets", rawQuery: nil,
            headers: [
                ("host", host), ("content-type", "application/json"), ("content-length", String(body.count)), ("accept", "application/json"),
                ("user-agent", "lgsp-bench/1.0"),
            ])
    }

    var credentials: AppCredentials { AppCredentials(secrets: [secretKey], rsaPublicKeyPEM: rsaKey.publicKey.pemRepresentation) }

    /// The measured cases, each already signed.
    func cases() throws -> [Case] {
        var cases: [Case] = []
        let credentials = credentials
        let body = body
        let now = now
        // What the route does before authenticating: hash the body it read.
        func payload() -> PayloadPolicy { .body(sha256: SigV4Canonical.payloadHash(body), bytes: body) }
        func verifying(_ scheme: any SignatureScheme, _ request: SignableRequest) -> () throws -> Int {
            { try scheme.parse(request, now: now).verify(credentials, payload(), false) }
        }

        // AWS SigV4, as LGSPClient and botocore sign.
        let signer = SigV4Signer(accessKey: accessKey, secretKey: secretKey)
        var sigV4 = request
        sigV4.headers += signer.sign(request, payloadHash: SigV4Canonical.payloadHash(body), date: now)
        let amzDate = AmzDate.format(now)
        let stringToSign = SigV4Canonical.stringToSign(
            amzDate: amzDate, scope: "\(amzDate.prefix(8))/vn/lgsp/aws4_request", canonicalRequest: "")
        cases.append(Case(
            name: "AWS SigV4 (AWS4-HMAC-SHA256)", signedBytes: stringToSign.utf8.count,
            verifyOnce: verifying(SigV4Scheme(verifier: SigV4Verifier()), sigV4),
            primitiveName: "HMAC-SHA256", primitive: Self.hmac(SHA256.self, bytes: stringToSign.utf8.count)))

        // RFC 9421: hmac-sha256 with the hub's own signer, RSA signed here (https, as behind TLS).
        let rfc9421 = HTTPMessageSignatureScheme()
        var hmacRequest = request
        let nonce = CredentialGenerator.identifier()
        hmacRequest.headers += MessageSignatureSigner(accessKey: accessKey, secretKey: secretKey, scheme: "https")
            .headers(for: request, body: body, created: now, nonce: nonce)
        let hmacBase = messageSignatureBase(request, alg: "hmac-sha256", nonce: nonce, scheme: "https")
        cases.append(Case(
            name: "RFC 9421 hmac-sha256", signedBytes: hmacBase.utf8.count, verifyOnce: verifying(rfc9421, hmacRequest),
            primitiveName: "HMAC-SHA256", primitive: Self.hmac(SHA256.self, bytes: hmacBase.utf8.count)))
        for (alg, pss) in [("rsa-v1_5-sha256", false), ("rsa-pss-sha512", true)] {
            let (signed, base) = try messageSignatureRSA(alg: alg, pss: pss, scheme: "https")
            cases.append(Case(
                name: "RFC 9421 \(alg)", signedBytes: base.utf8.count, verifyOnce: verifying(rfc9421, signed),
                primitiveName: pss ? "RSA-2048 PSS-SHA512 verify" : "RSA-2048 PKCS#1 v1.5 SHA-256 verify",
                primitive: try rsaVerify(bytes: base.utf8.count, pss: pss)))
        }
        // The same signed over http://: the hub tries https first, so it verifies twice.
        let (httpSigned, httpBase) = try messageSignatureRSA(alg: "rsa-v1_5-sha256", pss: false, scheme: "http")
        cases.append(Case(
            name: "RFC 9421 rsa-v1_5-sha256, signed for http:// (2nd base)", signedBytes: httpBase.utf8.count,
            verifyOnce: verifying(rfc9421, httpSigned),
            primitiveName: "RSA-2048 PKCS#1 v1.5 SHA-256 verify", primitive: try rsaVerify(bytes: httpBase.utf8.count, pss: false)))

        // OAuth 1.0a, two-legged, with oauth_body_hash (SHA-1) as oauthlib sends for JSON bodies.
        let oauth = OAuth1Scheme()
        for method in ["HMAC-SHA256", "HMAC-SHA1", "RSA-SHA256"] {
            let (signed, base) = try oauthSigned(method: method, scheme: "https")
            let primitiveName: String
            let primitive: () throws -> Void
            switch method {
            case "HMAC-SHA1": (primitiveName, primitive) = ("HMAC-SHA1", Self.hmac(Crypto.Insecure.SHA1.self, bytes: base.utf8.count))
            case "HMAC-SHA256": (primitiveName, primitive) = ("HMAC-SHA256", Self.hmac(SHA256.self, bytes: base.utf8.count))
            default: (primitiveName, primitive) = ("RSA-2048 PKCS#1 v1.5 SHA-256 verify", try rsaVerify(bytes: base.utf8.count, pss: false))
            }
            cases.append(Case(
                name: "OAuth 1.0a \(method)", signedBytes: base.utf8.count, verifyOnce: verifying(oauth, signed),
                primitiveName: primitiveName, primitive: primitive))
        }
        return cases
    }

    /// Primitives that explain the schemes' costs beyond their one MAC or signature.
    func extraPrimitives() -> [(String, () throws -> Void)] {
        let canonicalLength = 420
        let canonical = Data(repeating: 0x61, count: canonicalLength)
        let pem = rsaKey.publicKey.pemRepresentation
        let body = body
        return [
            ("SigV4 crypto alone: SHA-256 of a \(canonicalLength)-byte canonical request + 4 HMACs (signing key) + 1 HMAC", {
                _ = SHA256.hash(data: canonical)
                let key = SigV4Canonical.signingKey(secret: "bench-secret-key-bench-secret-key-bench-", date: "20261129", region: "vn", service: "lgsp")
                _ = HMAC<SHA256>.authenticationCode(for: canonical.prefix(150), using: key)
            }),
            ("RSA-2048 public key read from PEM (the verifiers read it per request)", {
                _ = try _RSA.Signing.PublicKey(pemRepresentation: pem)
            }),
            ("SHA-256 of the \(body.count)-byte body (hex)", { _ = SigV4Canonical.payloadHash(body) }),
            ("SHA-1 of the \(body.count)-byte body (oauth_body_hash)", { _ = Crypto.Insecure.SHA1.hash(data: body) }),
        ]
    }

    // MARK: Signing

    /// RFC 9421 signature base for the covered components the hub's signer uses.
    private func messageSignatureBase(_ request: SignableRequest, alg: String, nonce: String, scheme: String) -> String {
        let params = messageSignatureParams(alg: alg, nonce: nonce)
        return [
            "\"@method\": POST", "\"@authority\": \(host)", "\"@target-uri\": \(scheme)://\(host)\(request.rawPath)",
            "\"content-digest\": \(contentDigest)", "\"@signature-params\": \(params)",
        ].joined(separator: "\n")
    }

    private func messageSignatureParams(alg: String, nonce: String) -> String {
        "(\"@method\" \"@authority\" \"@target-uri\" \"content-digest\");created=\(Int64(now.timeIntervalSince1970));keyid=\"\(accessKey)\";alg=\"\(alg)\";nonce=\"\(nonce)\""
    }

    private var contentDigest: String { "sha-256=:\(Data(SHA256.hash(data: body)).base64EncodedString()):" }

    private func messageSignatureRSA(alg: String, pss: Bool, scheme: String) throws -> (SignableRequest, String) {
        let nonce = CredentialGenerator.identifier()
        let base = messageSignatureBase(request, alg: alg, nonce: nonce, scheme: scheme)
        let message = Data(base.utf8)
        let signature = pss
            ? try rsaKey.signature(for: SHA512.hash(data: message), padding: .PSS)
            : try rsaKey.signature(for: SHA256.hash(data: message), padding: .insecurePKCS1v1_5)
        var signed = request
        signed.headers += [
            ("content-digest", contentDigest), ("signature-input", "sig1=" + messageSignatureParams(alg: alg, nonce: nonce)),
            ("signature", "sig1=:\(signature.rawRepresentation.base64EncodedString()):"),
        ]
        return (signed, base)
    }

    /// RFC 5849 §3.4: the base string and the signed request, as oauthlib builds them.
    private func oauthSigned(method: String, scheme: String) throws -> (SignableRequest, String) {
        let parameters: [(String, String)] = [
            ("oauth_body_hash", Data(Crypto.Insecure.SHA1.hash(data: body)).base64EncodedString()), ("oauth_consumer_key", accessKey),
            ("oauth_nonce", String(UInt64.random(in: 0...UInt64.max))), ("oauth_signature_method", method),
            ("oauth_timestamp", String(Int64(now.timeIntervalSince1970))), ("oauth_version", "1.0"),
        ]
        let encoded: [(String, String)] = parameters.map { (PercentEncoding.encode($0.0), PercentEncoding.encode($0.1)) }
        let sorted = encoded.sorted { (a: (String, String), b: (String, String)) -> Bool in a.0 == b.0 ? a.1 < b.1 : a.0 < b.0 }
        let normalized = sorted.map { "\($0.0)=\($0.1)" }.joined(separator: "&")
        let base = ["POST", PercentEncoding.encode("\(scheme)://\(host)/v1/packets"), PercentEncoding.encode(normalized)].joined(separator: "&")
        let message = Data(base.utf8)
        let macKey = SymmetricKey(data: Data((PercentEncoding.encode(secretKey) + "&").utf8))
        let signature: Data
        switch method {
        case "HMAC-SHA1": signature = Data(HMAC<Crypto.Insecure.SHA1>.authenticationCode(for: message, using: macKey))
        case "HMAC-SHA256": signature = Data(HMAC<SHA256>.authenticationCode(for: message, using: macKey))
        default: signature = try rsaKey.signature(for: SHA256.hash(data: message), padding: .insecurePKCS1v1_5).rawRepresentation
        }
        let header = "OAuth realm=\"lgsp\", "
            + (parameters + [("oauth_signature", signature.base64EncodedString())])
            .map { "\($0.0)=\"\(PercentEncoding.encode($0.1))\"" }.joined(separator: ", ")
        var signed = request
        signed.headers.append(("authorization", header))
        return (signed, base)
    }

    // MARK: Primitives

    /// One HMAC check (compute and compare, as the verifiers do) over a message of `bytes` bytes.
    static func hmac<H: HashFunction>(_ hash: H.Type, bytes: Int) -> () throws -> Void {
        let message = Data((0..<bytes).map { UInt8(truncatingIfNeeded: $0 &* 7) })
        let key = SymmetricKey(data: Data(CredentialGenerator.secretKey().utf8))
        let mac = Data(HMAC<H>.authenticationCode(for: message, using: key))
        return {
            guard HMAC<H>.isValidAuthenticationCode(mac, authenticating: message, using: key) else {
                throw AuthBenchFailure("HMAC primitive did not verify")
            }
        }
    }

    /// One RSA-2048 verification (digest of a `bytes`-byte message, then the check) with a parsed key.
    func rsaVerify(bytes: Int, pss: Bool) throws -> () throws -> Void {
        let message = Data((0..<bytes).map { UInt8(truncatingIfNeeded: $0 &* 7) })
        let publicKey = rsaKey.publicKey
        if pss {
            let signature = try rsaKey.signature(for: SHA512.hash(data: message), padding: .PSS)
            return {
                guard publicKey.isValidSignature(signature, for: SHA512.hash(data: message), padding: .PSS) else {
                    throw AuthBenchFailure("RSA-PSS primitive did not verify")
                }
            }
        }
        let signature = try rsaKey.signature(for: SHA256.hash(data: message), padding: .insecurePKCS1v1_5)
        return {
            guard publicKey.isValidSignature(signature, for: SHA256.hash(data: message), padding: .insecurePKCS1v1_5) else {
                throw AuthBenchFailure("RSA PKCS#1 primitive did not verify")
            }
        }
    }
}

