import Foundation

/// Signs requests with AWS Signature Version 4 (`AWS4-HMAC-SHA256`), as `LGSPClient` and the CLI do.
///
/// The hub's scope is region `vn`, service `lgsp` by default, so stock AWS tooling
/// (`curl --aws-sigv4 "aws:amz:vn:lgsp"`, botocore's `SigV4Auth`) produces the same signatures.
public struct SigV4Signer: Sendable, CustomStringConvertible {
    public var accessKey: String
    var secretKey: String
    public var region: String
    public var service: String

    public init(accessKey: String, secretKey: String, region: String = "vn", service: String = "lgsp") {
        self.accessKey = accessKey
        self.secretKey = secretKey
        self.region = region
        self.service = service
    }

    public var description: String { "SigV4Signer(accessKey: \(accessKey), secretKey: <redacted>, \(region)/\(service))" }

    /// The headers to add to a request: `x-amz-date`, `x-amz-content-sha256` (when
    /// `sendPayloadHash`) and `authorization`. `request` must already carry `host`.
    public func sign(_ request: SignableRequest, payloadHash: String, date: Date, sendPayloadHash: Bool = true) -> [(name: String, value: String)] {
        let amzDate = AmzDate.format(date)
        var added: [(name: String, value: String)] = [("x-amz-date", amzDate)]
        if sendPayloadHash { added.append(("x-amz-content-sha256", payloadHash)) }
        var signing = request
        signing.headers.append(contentsOf: added)
        let signed = Set(signing.headers.map { $0.name.lowercased() })
            .filter { $0 == "host" || $0.hasPrefix("x-amz-") || $0 == "content-type" || $0 == "content-range" || $0 == "x-lgsp-session" }
            .sorted()
        let scopeDate = String(amzDate.prefix(8))
        let scope = "\(scopeDate)/\(region)/\(service)/aws4_request"
        let canonical = SigV4Canonical.canonicalRequest(
            method: request.method, uri: SigV4Canonical.canonicalURI(rawPath: request.rawPath),
            query: SigV4Canonical.canonicalQuery(request.queryItems),
            headers: SigV4Canonical.canonicalHeaders(signing, signed: signed).text, signedHeaders: signed, payloadHash: payloadHash)
        let key = SigV4Canonical.signingKey(secret: secretKey, date: scopeDate, region: region, service: service)
        let signature = SigV4Canonical.signature(
            stringToSign: SigV4Canonical.stringToSign(amzDate: amzDate, scope: scope, canonicalRequest: canonical), key: key)
        added.append((
            "authorization",
            "\(SigV4Canonical.algorithm) Credential=\(accessKey)/\(scope), SignedHeaders=\(signed.joined(separator: ";")), Signature=\(signature)"
        ))
        return added
    }

    /// A presigned query string (without leading `?`) for `request`, valid `expires` seconds from `date`.
    /// Only `host` is signed; the payload is `UNSIGNED-PAYLOAD`, as for S3 presigned URLs.
    public func presignedQuery(_ request: SignableRequest, host: String, date: Date, expires: Int) -> String {
        let amzDate = AmzDate.format(date)
        let scopeDate = String(amzDate.prefix(8))
        let scope = "\(scopeDate)/\(region)/\(service)/aws4_request"
        var items = request.queryItems
        items.append(contentsOf: [
            ("X-Amz-Algorithm", SigV4Canonical.algorithm), ("X-Amz-Credential", "\(accessKey)/\(scope)"),
            ("X-Amz-Date", amzDate), ("X-Amz-Expires", String(expires)), ("X-Amz-SignedHeaders", "host"),
        ])
        let query = SigV4Canonical.canonicalQuery(items)
        let canonical = SigV4Canonical.canonicalRequest(
            method: request.method, uri: SigV4Canonical.canonicalURI(rawPath: request.rawPath), query: query,
            headers: "host:\(host)\n", signedHeaders: ["host"], payloadHash: SigV4Canonical.unsignedPayload)
        let key = SigV4Canonical.signingKey(secret: secretKey, date: scopeDate, region: region, service: service)
        let signature = SigV4Canonical.signature(
            stringToSign: SigV4Canonical.stringToSign(amzDate: amzDate, scope: scope, canonicalRequest: canonical), key: key)
        return query + "&X-Amz-Signature=" + signature
    }
}
