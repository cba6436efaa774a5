import Foundation
import LGSPAPI
import LGSPTesting
import Testing

/// Shared steps of the RFC 9421 and OAuth 1.0a interop tests: an RSA key made by Python, apps
/// registered with it, a script run with a JSON configuration, and checks of its step outcomes.
enum SignatureInterop {
    /// A fresh RSA private key written by Python's `cryptography` into the hub's folder; returns its
    /// path and the public key PEM.
    static func rsaKey(_ hub: HubProcess, name: String) async throws -> (path: String, publicKey: String) {
        let path = hub.data.path + "/\(name).pem"
        let result = try await ExternalTools.python(script: "rsa_keygen.py", [path])
        #expect(result.status == 0, "\(result.stderr)")
        return (path, result.text)
    }

    /// Runs `script` with `configuration` written to a JSON file, and returns its JSON output.
    static func run(_ script: String, _ hub: HubProcess, configuration: [String: Any]) async throws -> [String: Any] {
        let path = hub.data.path + "/\(script).json"
        try JSONSerialization.data(withJSONObject: configuration).write(to: URL(fileURLWithPath: path))
        let result = try await ExternalTools.python(script: script, [path])
        #expect(result.status == 0, "\(result.stderr)")
        return try #require(try JSONSerialization.jsonObject(with: result.stdout) as? [String: Any], "\(result.text) \(result.stderr)")
    }

    /// The status and problem code of one step.
    static func outcome(_ steps: [String: Any], _ step: String) -> (status: Int?, code: String?) {
        let value = steps[step] as? [String: Any]
        return (value?["status"] as? Int, value?["code"] as? String)
    }

    /// Checks that `step` answered `status` (and, for a refusal, `code`).
    static func expect(
        _ steps: [String: Any], _ step: String, _ status: Int, _ code: String? = nil, _ label: String,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        let (actual, actualCode) = outcome(steps, step)
        #expect(actual == status, "\(label) \(step): \(actual.map(String.init) ?? "-") \(actualCode ?? "")", sourceLocation: sourceLocation)
        if let code { #expect(actualCode == code, "\(label) \(step)", sourceLocation: sourceLocation) }
    }
}
