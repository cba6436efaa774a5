import Crypto
import Foundation
import LGSPCore

/// Verifies AWS Signature Version 4 on incoming requests, header form and presigned-query form.
///
/// Verification is split in two so that the credential lookup happens in between: `parse` reads
/// and checks everything that needs no secret (algorithm, scope, signed headers, clock skew) and
/// names the access key; `verify` recomputes the signature with the app's secrets. Every failure
/// has its own `auth.*` code and a message that says what was wrong.
public struct SigV4Verifier: Sendable {
    public var region: String
    public var service: String
    /// Largest accepted difference between the request's time and the hub's, in seconds.
    public var allowedSkew: TimeInterval
    /// Longest accepted `X-Amz-Expires` of a presigned URL, in seconds.
    public var maxPresignExpiry: Int

    public init(region: String = "vn", service: String = "lgsp", allowedSkew: TimeInterval = 300, maxPresignExpiry: Int = 7 * 86400) {
        self.region = region
        self.service = service
        self.allowedSkew = allowedSkew
        self.maxPresignExpiry = maxPresignExpiry
    }

    /// What a signed request claims, before any secret is involved.
    public struct Claim: Sendable, Hashable {
        public var accessKey: String
        public var amzDate: String
        public var scope: String
        public var signedHeaders: [String]
        public var signature: String
        /// True for the presigned-query form.
        public var presigned: Bool
        /// The payload hash the client declared in `x-amz-content-sha256` (or `UNSIGNED-PAYLOAD` for presigned URLs).
        public var declaredPayloadHash: String?
    }

    /// Reads the signature of `request` and checks everything that needs no secret.
    public func parse(_ request: SignableRequest, now: Date) throws(LGSPError) -> Claim {
        if let authorization = request.value("authorization") {
            return try parseHeader(authorization, request: request, now: now)
        }
        let query = request.queryItems
        if query.contains(where: { $0.name == "X-Amz-Signature" || $0.name == "X-Amz-Algorithm" }) {
            return try parsePresigned(query, request: request, now: now)
        }
        throw LGSPError(.missingSignature, "the request is not signed: send an Authorization header with AWS Signature Version 4 (AWS4-HMAC-SHA256, scope <date>/\(region)/\(service)/aws4_request) or a presigned URL")
    }

    /// Recomputes the signature with each secret and each acceptable payload hash.
    ///
    /// - Parameters:
    ///   - payloadHashes: the payload hashes the route accepts, best first (the body's hash for small
    ///     bodies; for content streams also the declared content digest and the empty hash).
    ///   - debug: when true, a mismatch carries the canonical request and string to sign the hub computed.
    /// - Returns: the index of the secret that matched.
    public func verify(
        _ claim: Claim, request: SignableRequest, secrets: [String], payloadHashes: [String], debug: Bool = false
    ) throws(LGSPError) -> Int {
        let scopeDate = String(claim.amzDate.prefix(8))
        var firstCanonical = ""
        for (index, secret) in secrets.enumerated() {
            let key = SigV4Canonical.signingKey(secret: secret, date: scopeDate, region: region, service: service)
            for payloadHash in payloadHashes {
                for doubleEncode in uriVariants(request.rawPath) {
                    let canonical = canonicalRequest(claim, request: request, payloadHash: payloadHash, doubleEncode: doubleEncode)
                    if firstCanonical.isEmpty { firstCanonical = canonical }
                    let expected = SigV4Canonical.signature(
                        stringToSign: SigV4Canonical.stringToSign(amzDate: claim.amzDate, scope: claim.scope, canonicalRequest: canonical),
                        key: key)
                    if ConstantTime.equal(expected, claim.signature) { return index }
                }
            }
        }
        var details: [String: String] = [:]
        if debug {
            details["canonicalRequest"] = firstCanonical
            details["stringToSign"] = SigV4Canonical.stringToSign(amzDate: claim.amzDate, scope: claim.scope, canonicalRequest: firstCanonical)
        }
        throw LGSPError(.signatureMismatch, "the signature does not match: check the secret key, that the signed headers, path, query and body are sent exactly as signed, and the payload hash",
            details: details)
    }

    /// The canonical request the hub computes for a claim (shown to apps with debugging on).
    public func canonicalRequest(_ claim: Claim, request: SignableRequest, payloadHash: String, doubleEncode: Bool = true) -> String {
        let query = claim.presigned ? SigV4Canonical.canonicalQuery(request.queryItems) : SigV4Canonical.canonicalQuery(request.queryItems)
        let headers = SigV4Canonical.canonicalHeaders(request, signed: claim.signedHeaders).text
        return SigV4Canonical.canonicalRequest(
            method: request.method, uri: SigV4Canonical.canonicalURI(rawPath: request.rawPath, doubleEncode: doubleEncode),
            query: query, headers: headers, signedHeaders: claim.signedHeaders, payloadHash: payloadHash)
    }

    // Paths with escapes may have been signed with single or double encoding depending on the client.
    private func uriVariants(_ rawPath: String) -> [Bool] {
        rawPath.contains("%") ? [true, false] : [true]
    }

    private func parseHeader(_ header: String, request: SignableRequest, now: Date) throws(LGSPError) -> Claim {
        let trimmed = SigV4Canonical.trimHeaderValue(header)
        let scheme = trimmed.prefix { $0 != " " }
        guard scheme == SigV4Canonical.algorithm else {
            throw LGSPError(.unsupportedAlgorithm, "authorization scheme '\(scheme)' is not supported; use \(SigV4Canonical.algorithm)",
                details: ["supported": SigV4Canonical.algorithm])
        }
        var fields: [String: String] = [:]
        for part in trimmed.dropFirst(scheme.count).split(separator: ",") {
            let item = SigV4Canonical.trimHeaderValue(String(part))
            guard let equals = item.firstIndex(of: "=") else { continue }
            fields[String(item[..<equals])] = String(item[item.index(after: equals)...])
        }
        guard let credential = fields["Credential"], let signedHeaders = fields["SignedHeaders"], let signature = fields["Signature"] else {
            throw LGSPError(.malformedAuthorization, "the Authorization header needs Credential=, SignedHeaders= and Signature= parts")
        }
        guard let amzDate = request.value("x-amz-date") else {
            throw LGSPError(.missingSignedHeader, "the request has no x-amz-date header; SigV4 needs it (signed) to date the signature")
        }
        let names = signedHeaders.split(separator: ";").map { String($0) }
        guard names.contains("x-amz-date") else {
            throw LGSPError(.missingSignedHeader, "x-amz-date must be one of the signed headers (SignedHeaders=\(signedHeaders))")
        }
        let declared = request.value("x-amz-content-sha256")
        if declared != nil && !names.contains("x-amz-content-sha256") {
            throw LGSPError(.missingSignedHeader, "x-amz-content-sha256 is sent but not signed; add it to SignedHeaders")
        }
        return try claim(credential: credential, amzDate: amzDate, signedHeaders: names, signature: signature,
            presigned: false, declaredPayloadHash: declared, request: request, now: now)
    }

    private func parsePresigned(_ query: [(name: String, value: String)], request: SignableRequest, now: Date) throws(LGSPError) -> Claim {
        func item(_ name: String) throws(LGSPError) -> String {
            guard let value = query.first(where: { $0.name == name })?.value else {
                throw LGSPError(.malformedAuthorization, "the presigned URL lacks the \(name) parameter")
            }
            return value
        }
        let algorithm = try item("X-Amz-Algorithm")
        guard algorithm == SigV4Canonical.algorithm else {
            throw LGSPError(.unsupportedAlgorithm, "X-Amz-Algorithm '\(algorithm)' is not supported; use \(SigV4Canonical.algorithm)")
        }
        let expiresText = try item("X-Amz-Expires")
        guard let expires = Int(expiresText), expires > 0, expires <= maxPresignExpiry else {
            throw LGSPError(.malformedAuthorization, "X-Amz-Expires must be 1 to \(maxPresignExpiry) seconds, got '\(expiresText)'")
        }
        let amzDate = try item("X-Amz-Date")
        let claim = try claim(
            credential: try item("X-Amz-Credential"), amzDate: amzDate,
            signedHeaders: try item("X-Amz-SignedHeaders").split(separator: ";").map { String($0) },
            signature: try item("X-Amz-Signature"), presigned: true, declaredPayloadHash: SigV4Canonical.unsignedPayload,
            request: request, now: now, checkSkew: false)
        let signedAt = AmzDate.parse(amzDate)!
        if signedAt.timeIntervalSince(now) > allowedSkew {
            throw LGSPError(.clockSkew, "the presigned URL is dated \(amzDate), in the future of the hub's clock",
                details: ["serverTime": AmzDate.format(now)])
        }
        if now.timeIntervalSince(signedAt) > TimeInterval(expires) {
            throw LGSPError(.presignedURLExpired, "the presigned URL expired at \(AmzDate.format(signedAt.addingTimeInterval(TimeInterval(expires))))",
                details: ["serverTime": AmzDate.format(now)])
        }
        return claim
    }

    private func claim(
        credential: String, amzDate: String, signedHeaders: [String], signature: String, presigned: Bool,
        declaredPayloadHash: String?, request: SignableRequest, now: Date, checkSkew: Bool = true
    ) throws(LGSPError) -> Claim {
        let parts = credential.split(separator: "/", omittingEmptySubsequences: false).map { String($0) }
        guard parts.count == 5, !parts[0].isEmpty else {
            throw LGSPError(.malformedAuthorization, "Credential must be <access key>/<yyyyMMdd>/\(region)/\(service)/aws4_request")
        }
        guard signature.utf8.count == 64, signature.utf8.allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x61 && $0 <= 0x66) }) else {
            throw LGSPError(.malformedAuthorization, "Signature must be 64 lowercase hexadecimal characters")
        }
        guard let signedAt = AmzDate.parse(amzDate) else {
            throw LGSPError(.malformedAuthorization, "x-amz-date '\(amzDate)' is not of the form yyyyMMddTHHmmssZ")
        }
        let scope = parts[1...].joined(separator: "/")
        guard parts[1] == String(amzDate.prefix(8)), parts[2] == region, parts[3] == service, parts[4] == "aws4_request" else {
            throw LGSPError(.credentialScopeMismatch, "the credential scope is \(scope); this hub expects \(amzDate.prefix(8))/\(region)/\(service)/aws4_request",
                details: ["expectedRegion": region, "expectedService": service])
        }
        guard signedHeaders.contains("host") else {
            throw LGSPError(.missingSignedHeader, "host must be one of the signed headers")
        }
        guard signedHeaders == signedHeaders.sorted(), signedHeaders.allSatisfy({ $0 == $0.lowercased() }) else {
            throw LGSPError(.malformedAuthorization, "SignedHeaders must be lowercase and sorted")
        }
        if let missing = SigV4Canonical.canonicalHeaders(request, signed: signedHeaders).missing {
            throw LGSPError(.missingSignedHeader, "signed header '\(missing)' is not in the request")
        }
        if checkSkew, abs(signedAt.timeIntervalSince(now)) > allowedSkew {
            throw LGSPError(.clockSkew, "the request time \(amzDate) is more than \(Int(allowedSkew)) seconds away from the hub's time \(AmzDate.format(now)); correct the clock (GET /v1/time)",
                details: ["serverTime": AmzDate.format(now), "requestTime": amzDate])
        }
        return Claim(
            accessKey: parts[0], amzDate: amzDate, scope: scope, signedHeaders: signedHeaders, signature: signature,
            presigned: presigned, declaredPayloadHash: declaredPayloadHash)
    }
}
