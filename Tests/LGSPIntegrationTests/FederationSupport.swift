import AsyncHTTPClient
import Foundation
import LGSPAPI
import LGSPClient
import LGSPCore
import LGSPTesting
import NIOSSL
import Testing

/// Three real `lgsp serve` processes on loopback: province A (Hải Phòng, H24), the national
/// platform N (role national, HTTPS with mutual TLS and a test CA) and province B (Hải Dương, H26),
/// with federation files written here. A and B reach N over TLS with a client certificate; N
/// reaches A and B over plain HTTP on loopback.
final class Federation3: Sendable {
    let folder: TemporaryFolder
    let ports: (a: Int, n: Int, b: Int)
    let a: HubProcess
    let n: HubProcess
    let b: HubProcess
    /// The credentials each hub uses at the other (the test writes both sides of each link).
    let keys: [String: (access: String, secret: String)]
    /// A's sending app, A's local receiver and B's receiver.
    let sender: LGSPClient
    let localReceiver: LGSPClient
    let remoteReceiver: LGSPClient

    static let senderUnit = "000.00.02.H24"
    static let localUnit = "000.00.31.H24"
    static let remoteUnit = "000.00.05.H26"

    /// A loopback port nobody listens on right now (bound to 0, read, closed).
    static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw HubProcessError(message: "socket() failed") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) } }
        guard bound == 0 else { throw HubProcessError(message: "bind() failed") }
        let named = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
        guard named == 0 else { throw HubProcessError(message: "getsockname() failed") }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    static func start() async throws -> Federation3 {
        let folder = try TemporaryFolder("lgsp-federation")
        try #require(try await TLSTests.certificates(in: folder.path), "openssl is needed to make test certificates")
        let ports = (a: try freePort(), n: try freePort(), b: try freePort())
        var keys: [String: (access: String, secret: String)] = [:]
        for link in ["a@n", "n@a", "b@n", "n@b"] { keys[link] = (CredentialGenerator.accessKey(), CredentialGenerator.secretKey()) }
        // Secrets in files (mode 0600), as an operator would keep them.
        for (link, key) in keys {
            let path = folder.path + "/\(link).secret"
            FileManager.default.createFile(atPath: path, contents: Data((key.secret + "\n").utf8), attributes: [.posixPermissions: 0o600])
        }
        let tlsToN = """
                tls:
                  ca: \(folder.path)/ca.pem
                  certificate: \(folder.path)/client.pem
                  key: \(folder.path)/client.key
            """
        func peer(_ name: String, url: String, ours: String, theirs: String, serves: String, tls: String = "") -> String {
            """
              - name: \(name)
                url: \(url)
                profile: lgsp
                accessKey: \(keys[ours]!.access)
                secretKeyFile: \(ours).secret
                inbound:
                  accessKey: \(keys[theirs]!.access)
                  secretKeyFile: \(theirs).secret
                serves: [\(serves)]
            \(tls)
            """
        }
        let link = "link:\n  pollSeconds: 0.05\n  backoffBaseSeconds: 0.1\n  backoffMaxSeconds: 1\n  breakerThreshold: 3\n  breakerOpenSeconds: 1\n"
        try ("role: provincial\n" + link + "peers:\n" + peer("ngsp", url: "https://127.0.0.1:\(ports.n)", ours: "a@n", theirs: "n@a", serves: "not-local", tls: tlsToN))
            .write(toFile: folder.path + "/a.yaml", atomically: true, encoding: .utf8)
        try ("role: provincial\n" + link + "peers:\n" + peer("ngsp", url: "https://127.0.0.1:\(ports.n)", ours: "b@n", theirs: "n@b", serves: "not-local", tls: tlsToN))
            .write(toFile: folder.path + "/b.yaml", atomically: true, encoding: .utf8)
        try ("role: national\n" + link + "peers:\n"
            + peer("hai-phong", url: "http://127.0.0.1:\(ports.a)", ours: "n@a", theirs: "a@n", serves: "suffix:H24")
            + peer("hai-duong", url: "http://127.0.0.1:\(ports.b)", ours: "n@b", theirs: "b@n", serves: "suffix:H26"))
            .write(toFile: folder.path + "/n.yaml", atomically: true, encoding: .utf8)

        let n = try await startN(folder: folder, port: ports.n, data: nil)
        let a = try await HubProcess.start(
            arguments: ["--port", "\(ports.a)"], environment: ["LGSP_FEDERATION_FILE": folder.path + "/a.yaml", "LGSP_HUB_NAME": "hai-phong"])
        let b = try await HubProcess.start(
            arguments: ["--port", "\(ports.b)"], environment: ["LGSP_FEDERATION_FILE": folder.path + "/b.yaml", "LGSP_HUB_NAME": "hai-duong"])

        let adminA = try a.adminClient()
        _ = try await adminA.addUnit(code: "000.00.00.H24", name: "Ủy ban nhân dân thành phố Hải Phòng")
        _ = try await adminA.addUnit(code: senderUnit, name: "Sở Tài chính", parent: "000.00.00.H24")
        _ = try await adminA.addUnit(code: localUnit, name: "Ủy ban nhân dân Phường Hải Dương", parent: "000.00.00.H24")
        let senderApp = try await adminA.createApp(unit: senderUnit, name: "Quản lý văn bản STC", receives: [])
        let localApp = try await adminA.createApp(unit: localUnit, name: "Một cửa phường", receives: ["edoc"])
        _ = try await adminA.addGrant(app: senderApp.accessKey, sendTo: "*.H24", dataType: "edoc")
        _ = try await adminA.addGrant(app: senderApp.accessKey, sendTo: "*.H26", dataType: "edoc")
        _ = try await adminA.addGrant(app: senderApp.accessKey, sendTo: "*.H99", dataType: "edoc")
        let adminB = try b.adminClient()
        _ = try await adminB.addUnit(code: "000.00.00.H26", name: "Ủy ban nhân dân tỉnh Hải Dương")
        _ = try await adminB.addUnit(code: remoteUnit, name: "Sở Tư pháp tỉnh Hải Dương", parent: "000.00.00.H26")
        let remoteApp = try await adminB.createApp(unit: remoteUnit, name: "Văn bản STP", receives: ["edoc"])

        return Federation3(
            folder: folder, ports: ports, a: a, n: n, b: b, keys: keys,
            sender: LGSPClient(url: a.url, accessKey: senderApp.accessKey, secretKey: senderApp.secretKey),
            localReceiver: LGSPClient(url: a.url, accessKey: localApp.accessKey, secretKey: localApp.secretKey),
            remoteReceiver: LGSPClient(url: b.url, accessKey: remoteApp.accessKey, secretKey: remoteApp.secretKey))
    }

    /// N: HTTPS that requires a client certificate from the test CA.
    static func startN(folder: TemporaryFolder, port: Int, data: TemporaryFolder?) async throws -> HubProcess {
        try await HubProcess.start(
            arguments: [
                "--port", "\(port)", "--tls-cert", folder.path + "/server.pem", "--tls-key", folder.path + "/server.key",
                "--tls-client-ca", folder.path + "/ca.pem",
            ],
            environment: ["LGSP_FEDERATION_FILE": folder.path + "/n.yaml", "LGSP_HUB_NAME": "ngsp"], data: data, scheme: "https")
    }

    private init(
        folder: TemporaryFolder, ports: (a: Int, n: Int, b: Int), a: HubProcess, n: HubProcess, b: HubProcess,
        keys: [String: (access: String, secret: String)], sender: LGSPClient, localReceiver: LGSPClient, remoteReceiver: LGSPClient
    ) {
        self.folder = folder
        self.ports = ports
        self.a = a
        self.n = n
        self.b = b
        self.keys = keys
        self.sender = sender
        self.localReceiver = localReceiver
        self.remoteReceiver = remoteReceiver
        tlsClient = try! Self.makeTLSClient(folder: folder)
    }

    func shutdown() {
        for hub in [a, n, b] { hub.shutdown() }
        try? tlsClient.syncShutdown()
        folder.remove()
    }

    /// An HTTP client that trusts the test CA and presents the test client certificate (N wants one).
    let tlsClient: HTTPClient

    static func makeTLSClient(folder: TemporaryFolder) throws -> HTTPClient {
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(folder.path + "/ca.pem"))
        tls.certificateChain = try NIOSSLCertificate.fromPEMFile(folder.path + "/client.pem").map { .certificate($0) }
        tls.privateKey = .privateKey(try NIOSSLPrivateKey(file: folder.path + "/client.key", format: .pem))
        return HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: HTTPClient.Configuration(tlsConfiguration: tls))
    }

    /// N's administrator, over mutual TLS.
    func nationalAdmin(_ hub: HubProcess? = nil) throws -> LGSPClient {
        let credential = try (hub ?? n).admin
        return LGSPClient(url: (hub ?? n).url, accessKey: credential.accessKey, secretKey: credential.secretKey, httpClient: tlsClient)
    }

    /// Polls `read` until `done` holds or `seconds` pass; returns the last value read.
    static func eventually<T>(
        _ what: String, seconds: Double = 30, _ read: () async throws -> T, until done: (T) -> Bool
    ) async throws -> T {
        let deadline = Date().addingTimeInterval(seconds)
        var last = try await read()
        while !done(last) {
            guard Date() < deadline else {
                Issue.record("timed out waiting for \(what); last: \(last)")
                return last
            }
            try await Task.sleep(for: .milliseconds(100))
            last = try await read()
        }
        return last
    }

    /// The source's view of its delivery to `recipient`.
    func sourceDelivery(_ id: PacketID, _ recipient: String) async throws -> DeliveryBody? {
        try await sender.packet(id).deliveries.first { $0.recipient.rawValue == recipient }
    }

    /// Accepts, downloads, checks and acknowledges a packet as `receiver`; returns the bytes.
    static func receive(_ id: PacketID, by receiver: LGSPClient) async throws -> Data {
        _ = try await receiver.accept(id)
        let data = try await receiver.download(id)
        _ = try await receiver.acknowledge(id, sha256: ContentDigest.of(data).hex)
        return data
    }
}
