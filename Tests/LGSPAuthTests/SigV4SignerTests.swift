import Foundation
import LGSPAuth
import Testing

/// `SigV4Signer` must produce what stock AWS tooling produces.
///
/// The `botocore` constants below were generated with botocore 1.43.11 (`python3 sign.py`), clock fixed at
/// 2026-11-29T08:30:00Z, region `vn`, service `lgsp`:
///
///     import datetime, hashlib
///     import botocore.auth as auth
///     from botocore.awsrequest import AWSRequest
///     from botocore.credentials import Credentials
///     auth.get_current_datetime = lambda remove_tzinfo=True: datetime.datetime(2026, 11, 29, 8, 30, 0)
///     creds = Credentials("LGSPQ4XK2M7TW3JD5HAB", "u2V0Y3JldC1rZXktZm9yLXRlc3RzLW9ubHktMDA0")
///     def sign(method, url, body=b"", headers=None, send_hash=True):
///         headers = dict(headers or {})
///         if send_hash:
///             headers["X-Amz-Content-SHA256"] = hashlib.sha256(body).hexdigest()
///         req = AWSRequest(method=method, url=url, data=body, headers=headers)
///         auth.SigV4Auth(creds, "lgsp", "vn").add_auth(req)
///         print(dict(req.headers))
///     sign("POST", "https://hub.example.vn/v1/packets",
///          '{"to":["000.00.05.H24"],"subject":"Thử nghiệm","dataType":"edoc"}'.encode(),
///          {"Content-Type": "application/json"})
///     sign("GET", "https://hub.example.vn/v1/packets?role=sent&limit=5")
///     sign("GET", "https://hub.example.vn/v1/inbox", send_hash=False)
///     sign("POST", "https://hub.example.vn/v1/packets/0190f1b2-7c3d-7a4e-8f00-0123456789ab/ack",
///          b'{"sha256":"ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"}',
///          {"Content-Type": "application/json"})
///     req = AWSRequest(method="GET",
///          url="https://hub.example.vn/v1/packets/0190f1b2-7c3d-7a4e-8f00-0123456789ab/content")
///     auth.S3SigV4QueryAuth(creds, "lgsp", "vn", expires=900).add_auth(req)
///     print(req.url)
@Suite("SigV4Signer")
struct SigV4SignerTests {
    struct BotocoreVector: Sendable, CustomTestStringConvertible {
        var method: String
        var target: String
        var body: String
        var contentType: String?
        var sendPayloadHash: Bool
        var payloadHash: String
        var authorization: String
        var testDescription: String { "\(method) \(target)" }
    }

    static let scope = "Credential=LGSPQ4XK2M7TW3JD5HAB/20261129/vn/lgsp/aws4_request"
    static let botocore: [BotocoreVector] = [
        BotocoreVector(
            method: "POST", target: "/v1/packets",
            body: #"{"to":["000.00.05.H24"],"subject":"Thử nghiệm","dataType":"edoc"}"#,
            contentType: "application/json", sendPayloadHash: true,
            payloadHash: "f98b34b3cd6651489ef1f2cb17a7a345b4910584a2d44af3846f1ebc09da4391",
            authorization:
                "AWS4-HMAC-SHA256 \(scope), SignedHeaders=content-type;host;x-amz-content-sha256;x-amz-date, "
                + "Signature=c1f88070b0eacf229e8a5f72796efa4a1e0d77892d8876f73a2b58e5a5d36002"),
        BotocoreVector(
            method: "GET", target: "/v1/packets?role=sent&limit=5", body: "", contentType: nil, sendPayloadHash: true,
            payloadHash: "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
            authorization: "AWS4-HMAC-SHA256 \(scope), SignedHeaders=host;x-amz-content-sha256;x-amz-date, "
                + "Signature=f5a8a40a5fc5d9a558cf4473b8668fbc5c194e1448e09572ca61061f75c54c2a"),
        BotocoreVector(
            method: "GET", target: "/v1/inbox", body: "", contentType: nil, sendPayloadHash: false,
            payloadHash: "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
            authorization: "AWS4-HMAC-SHA256 \(scope), SignedHeaders=host;x-amz-date, "
                + "Signature=a591b138bff723c826da6a4b4b75006f97f27303faf1a93b5fd2091e4421d60f"),
        BotocoreVector(
            method: "POST", target: "/v1/packets/0190f1b2-7c3d-7a4e-8f00-0123456789ab/ack",
            body: #"{"sha256":"ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"}"#,
            contentType: "application/json", sendPayloadHash: true,
            payloadHash: "dc21beb44a3f81fbbe95b517328a5e826c72cf50206c779275845f85f3bc7f36",
            authorization:
                "AWS4-HMAC-SHA256 \(scope), SignedHeaders=content-type;host;x-amz-content-sha256;x-amz-date, "
                + "Signature=093d130dfb0e4450e7a4002c5dc29ae55341725a45d090d2a30b74de51fa67b9"),
    ]
    static let botocorePresignedQuery =
        "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=LGSPQ4XK2M7TW3JD5HAB%2F20261129%2Fvn%2Flgsp%2Faws4_request"
        + "&X-Amz-Date=20261129T083000Z&X-Amz-Expires=900&X-Amz-SignedHeaders=host"
        + "&X-Amz-Signature=e6f863efb264145fc9bde4d423598e9f347ca1e0d802e9788fb13fc8cf5ad6ec"

    @Test("the signer produces botocore's Authorization header for hub requests", arguments: botocore)
    func sign_matchesBotocore(vector: BotocoreVector) throws {
        let body = Data(vector.body.utf8)
        #expect(SigV4Canonical.payloadHash(body) == vector.payloadHash)
        let headers: [(name: String, value: String)] = vector.contentType.map { [("Content-Type", $0)] } ?? []
        let request = HubRequests.signed(
            vector.method, vector.target, body: body, headers: headers, sendPayloadHash: vector.sendPayloadHash)
        #expect(request.value("authorization") == vector.authorization)
        #expect(request.value("x-amz-date") == "20261129T083000Z")
        #expect(request.value("x-amz-content-sha256") == (vector.sendPayloadHash ? vector.payloadHash : nil))
    }

    @Test("the verifier accepts botocore's signatures", arguments: botocore)
    func verify_acceptsBotocore(vector: BotocoreVector) throws {
        var headers: [(name: String, value: String)] = [("Host", HubRequests.host), ("X-Amz-Date", "20261129T083000Z")]
        if let contentType = vector.contentType { headers.append(("Content-Type", contentType)) }
        if vector.sendPayloadHash { headers.append(("X-Amz-Content-SHA256", vector.payloadHash)) }
        headers.append(("Authorization", vector.authorization))
        let request = SignableRequest(method: vector.method, target: vector.target, headers: headers)
        let claim = try HubRequests.verifier.parse(request, now: HubRequests.now)
        #expect(claim.accessKey == HubRequests.accessKey)
        #expect(
            try HubRequests.verifier.verify(
                claim, request: request, secrets: [HubRequests.secret], payloadHashes: [vector.payloadHash]) == 0)
    }

    @Test("a presigned query equals botocore's S3SigV4QueryAuth URL")
    func presignedQuery_matchesBotocore() {
        let request = SignableRequest(
            method: "GET", target: "/v1/packets/0190f1b2-7c3d-7a4e-8f00-0123456789ab/content",
            headers: [("host", HubRequests.host)])
        let query = HubRequests.signer.presignedQuery(
            request, host: HubRequests.host, date: HubRequests.now, expires: 900)
        #expect(query == Self.botocorePresignedQuery)
    }

    @Test(
        "with the AWS credentials the signer reproduces every AWS vector whose signed headers it would choose",
        arguments: try AWSTestSuite.load().vectors.filter {
            // The signer signs host, x-amz-*, content-type, content-range and x-lgsp-session;
            // the My-Header vectors sign more.
            Set($0.signedHeaders).isSubset(of: ["host", "x-amz-date", "content-type"])
        })
    func sign_reproducesAWSVector(vector: AWSTestSuite.Vector) throws {
        let suite = try AWSTestSuite.load()
        let signer = SigV4Signer(
            accessKey: suite.credentials.accessKey, secretKey: suite.credentials.secretKey, region: suite.region,
            service: suite.service)
        var request = vector.request
        request.headers.removeAll { $0.name.lowercased() == "x-amz-date" }
        let added = signer.sign(
            request, payloadHash: vector.payloadHash, date: try #require(AmzDate.parse(suite.amzDate)),
            sendPayloadHash: false)
        #expect(added.map(\.name) == ["x-amz-date", "authorization"])
        #expect(added.first?.value == suite.amzDate)
        #expect(added.last?.value == suite.authorization(vector))
    }

    @Test("the signer signs host, x-amz-*, content-type, content-range and x-lgsp-session, and nothing else")
    func sign_choosesSignedHeaders() {
        let request = HubRequests.signed(
            "PUT", "/v1/packets/x/upload",
            headers: [
                ("Content-Type", "application/octet-stream"), ("Content-Range", "bytes 0-2/3"),
                ("User-Agent", "curl/8"),
                ("X-LGSP-Session", "s"), ("Accept", "*/*"), ("X-Amz-Meta-Note", "n"),
            ])
        let authorization = request.value("authorization") ?? ""
        #expect(
            authorization.contains(
                "SignedHeaders=content-range;content-type;host;x-amz-content-sha256;x-amz-date;"
                    + "x-amz-meta-note;x-lgsp-session,"
            ))
    }

    @Test("the signer's description never shows the secret")
    func description_redactsSecret() {
        let text = String(describing: HubRequests.signer)
        #expect(!text.contains(HubRequests.secret))
        #expect(!text.contains(String(HubRequests.secret.prefix(8))))
        #expect(text.contains(HubRequests.accessKey))
    }
}
