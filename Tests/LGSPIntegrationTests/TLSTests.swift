import Foundation
import LGSPTesting
import Testing

/// HTTPS with `--tls-cert/--tls-key`, and mutual TLS with `--tls-client-ca`, checked with curl.
@Suite("TLS", .serialized)
struct TLSTests {
    /// A CA, a server certificate for 127.0.0.1 and a client certificate, made with openssl.
    static func certificates(in folder: String) async throws -> Bool {
        guard let openssl = ExternalTools.which("openssl") else { return false }
        let script = """
            set -e
            cd '\(folder)'
            openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem -days 2 -subj '/CN=lgsp test CA' 2>/dev/null
            openssl req -newkey rsa:2048 -nodes -keyout server.key -out server.csr -subj '/CN=127.0.0.1' 2>/dev/null
            printf 'subjectAltName=IP:127.0.0.1\\n' > san.ext
            openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out server.pem -days 2 -extfile san.ext 2>/dev/null
            openssl req -newkey rsa:2048 -nodes -keyout client.key -out client.csr -subj '/CN=peer-hub' 2>/dev/null
            openssl x509 -req -in client.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out client.pem -days 2 2>/dev/null
            """
        _ = openssl
        let result = try await ExternalTools.run("/bin/sh", ["-c", script])
        return result.status == 0
    }

    @Test("the hub serves HTTPS and, with a client CA, refuses clients without a certificate")
    func httpsAndMutualTLS() async throws {
        let folder = try TemporaryFolder("lgsp-tls")
        defer { folder.remove() }
        try #require(try await Self.certificates(in: folder.path), "openssl is needed to make test certificates")
        let curl = try #require(ExternalTools.curl)
        let tls = ["--tls-cert", folder.path + "/server.pem", "--tls-key", folder.path + "/server.key"]

        let hub = try await HubProcess.start(arguments: tls, scheme: "https")
        let health = try await ExternalTools.run(curl, ["-sS", "--cacert", folder.path + "/ca.pem", hub.url + "/healthz"])
        #expect(health.text.contains("ok"), "\(health.stderr)")
        let untrusted = try await ExternalTools.run(curl, ["-sS", hub.url + "/healthz"])
        #expect(untrusted.status != 0, "curl must not trust the test CA by default")
        let admin = try hub.admin
        let signed = try await ExternalTools.run(curl, [
            "-sS", "--cacert", folder.path + "/ca.pem", "--aws-sigv4", "aws:amz:vn:lgsp", "--user", "\(admin.accessKey):\(admin.secretKey)",
            hub.url + "/v1/admin/units",
        ])
        #expect(signed.text.contains("\"items\""), "\(signed.text) \(signed.stderr)")
        hub.shutdown()

        let mutual = try await HubProcess.start(arguments: tls + ["--tls-client-ca", folder.path + "/ca.pem"], scheme: "https")
        defer { mutual.shutdown() }
        let anonymous = try await ExternalTools.run(curl, ["-sS", "--cacert", folder.path + "/ca.pem", mutual.url + "/healthz"])
        #expect(anonymous.status != 0, "a client without a certificate is refused")
        let withCertificate = try await ExternalTools.run(curl, [
            "-sS", "--cacert", folder.path + "/ca.pem", "--cert", folder.path + "/client.pem", "--key", folder.path + "/client.key",
            mutual.url + "/healthz",
        ])
        #expect(withCertificate.text.contains("ok"), "\(withCertificate.stderr)")
    }

    @Test("binding a non-loopback address without TLS logs a clear warning")
    func plainHTTPWarning() async throws {
        let hub = try await HubProcess.start(arguments: ["--host", "0.0.0.0"], environment: ["LGSP_LOG_LEVEL": "warning"])
        defer { hub.shutdown() }
        try await Task.sleep(for: .milliseconds(200))
        let log = try String(contentsOfFile: hub.data.path + "/hub.stderr.log", encoding: .utf8)
        #expect(log.contains("serving plain HTTP on 0.0.0.0"))
    }
}
