import AsyncHTTPClient
import Foundation
import LGSPClient
import LGSPCore
import Logging
import NIOSSL
import ServiceLifecycle

/// The hub's federation: its peers' links and their monitor, assembled from the federation file.
///
/// Needs a store that is also a `PeerLinkStore` (SQLite today); with another store, a federation
/// file is refused at start with `request.invalid_field` rather than ignored.
final class Federation: Sendable {
    let hub: Hub
    let configuration: FederationConfiguration
    let links: any PeerLinkStore
    let monitor: PeerLinkMonitor
    let peerLinks: [PeerLink]
    private let clients: [HTTPClient]

    /// The federation of `hub`, or nil when it has no federation file.
    init?(hub: Hub) throws {
        guard let configuration = hub.configuration.federation else { return nil }
        guard let links = hub.store as? any PeerLinkStore else {
            throw LGSPError(.invalidField, "federation needs a store that keeps peer links (the embedded SQLite store)", field: "federation.file")
        }
        self.hub = hub
        self.configuration = configuration
        self.links = links
        monitor = PeerLinkMonitor(registry: hub.metrics.registry)
        var clients: [HTTPClient] = []
        var peerLinks: [PeerLink] = []
        for peer in configuration.peers {
            let http = HTTPClient(
                eventLoopGroup: HTTPClient.defaultEventLoopGroup,
                configuration: HTTPClient.Configuration(
                    tlsConfiguration: try Self.tls(for: peer), timeout: .init(connect: .seconds(3), read: .seconds(120))))
            clients.append(http)
            let client = LGSPClient(
                url: peer.url, accessKey: peer.accessKey, secretKey: peer.secretKey, region: hub.configuration.authRegion,
                service: hub.configuration.authService, retries: 0, httpClient: http, logger: hub.logger)
            peerLinks.append(
                PeerLink(
                    peer: peer, configuration: configuration, exchange: hub.exchange, store: hub.store, links: links, client: client,
                    monitor: monitor, jwks: JWKSCache(client: client), logger: hub.logger))
        }
        self.clients = clients
        self.peerLinks = peerLinks
    }

    /// Trust the peer's CA (else the system's) and, for mutual TLS, present our certificate.
    static func tls(for peer: PeerConfiguration) throws -> TLSConfiguration {
        var tls = TLSConfiguration.makeClientConfiguration()
        if let ca = peer.tlsCA {
            tls.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(ca))
        }
        if let certificate = peer.tlsCertificate, let key = peer.tlsKey {
            tls.certificateChain = try NIOSSLCertificate.fromPEMFile(certificate).map { .certificate($0) }
            tls.privateKey = .privateKey(try NIOSSLPrivateKey(file: key, format: .pem))
        }
        return tls
    }

    /// Creates or updates each peer's app here (role `peer`, named after the peer) from its inbound credential.
    func preparePeerApps() async throws {
        let now = hub.clock.now()
        for peer in configuration.peers {
            guard let accessKey = peer.inboundAccessKey, let secret = peer.inboundSecretKey else { continue }
            if let app = try await hub.store.app(accessKey: accessKey) {
                guard app.role == .peer, app.name == peer.name else {
                    hub.logger.error("the inbound access key of a peer belongs to another app; the peer cannot sign here", metadata: ["peer": "\(peer.name)"])
                    continue
                }
                let secrets = try await hub.store.secrets(appID: app.id)
                if !secrets.contains(where: { $0.secret == secret && $0.isUsable(at: now) }) {
                    try await hub.store.addSecret(
                        AppSecret(id: CredentialGenerator.identifier(), appID: app.id, secret: secret, createdAt: now), retireOthersAt: now)
                }
            } else {
                let app = App(
                    id: CredentialGenerator.identifier(), unit: nil, name: peer.name, accessKey: accessKey, role: .peer, receives: .only([]),
                    createdAt: now)
                try await hub.store.addApp(app, secret: AppSecret(id: CredentialGenerator.identifier(), appID: app.id, secret: secret, createdAt: now))
                hub.logger.info("peer app created", metadata: ["peer": "\(peer.name)"])
            }
        }
    }

    /// Shuts the peers' HTTP clients down (after the links stopped).
    func shutdown() async {
        for client in clients { try? await client.shutdown() }
    }
}

/// Runs every peer link (hand-offs and status reports) until shutdown.
struct PeerLinkService: ServiceLifecycle.Service {
    let federation: Federation

    func run() async throws {
        do {
            try await federation.preparePeerApps()
        } catch {
            federation.hub.logger.error("peer apps could not be prepared", metadata: ["error": "\(error)"])
        }
        await cancelWhenGracefulShutdown {
            await withTaskGroup(of: Void.self) { group in
                for link in federation.peerLinks {
                    group.addTask { await link.runHandOffs() }
                    group.addTask { await link.runStatusReports() }
                }
            }
        }
        await federation.shutdown()
    }
}
