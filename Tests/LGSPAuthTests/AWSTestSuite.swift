import Foundation
import LGSPAuth

/// The AWS Signature Version 4 test-suite vectors in `Tests/Fixtures/sigv4/aws-test-suite.json`.
struct AWSTestSuite: Decodable, Sendable {
    struct Credentials: Decodable, Sendable {
        var accessKey: String
        var secretKey: String
    }

    struct Vector: Decodable, Sendable, CustomStringConvertible {
        var name: String
        var method: String
        var target: String
        /// Name and value pairs, in the order sent (a name may repeat).
        var headers: [[String]]
        var body: String
        var signedHeaders: [String]
        var canonicalURI: String
        var canonicalQuery: String
        var canonicalHeaders: String
        var payloadHash: String
        var canonicalRequestSHA256: String
        var signature: String

        var description: String { name }

        /// The request as it travels, with the vector's headers (including X-Amz-Date) and no Authorization.
        var request: SignableRequest {
            SignableRequest(method: method, target: target, headers: headers.map { (name: $0[0], value: $0[1]) })
        }
    }

    var credentials: Credentials
    var region: String
    var service: String
    var amzDate: String
    var vectors: [Vector]

    static let fixture = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/sigv4/aws-test-suite.json")

    static func load() throws -> AWSTestSuite {
        try JSONDecoder().decode(AWSTestSuite.self, from: Data(contentsOf: fixture))
    }

    var scope: String { "\(amzDate.prefix(8))/\(region)/\(service)/aws4_request" }

    /// The published Authorization header of a vector.
    func authorization(_ vector: Vector) -> String {
        "AWS4-HMAC-SHA256 Credential=\(credentials.accessKey)/\(scope), "
            + "SignedHeaders=\(vector.signedHeaders.joined(separator: ";")), Signature=\(vector.signature)"
    }
}
