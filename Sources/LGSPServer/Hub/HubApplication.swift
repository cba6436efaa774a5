import Foundation
import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import HummingbirdWebSocket
import LGSPAdapters
import LGSPCore
import Logging
import NIOSSL
import ServiceLifecycle

/// Builds the HTTP application of a hub: every route, the problem middleware, TLS when configured,
/// and the background services, in one `Application` whose `ServiceGroup` shuts down on SIGTERM.
public enum HubApplication {
    /// - Parameter onListening: called with the bound port once the server accepts connections.
    public static func build(
        hub: Hub, onListening: @escaping @Sendable (Int) async -> Void = { _ in }
    ) throws -> Application<RouterResponder<HubRequestContext>> {
        let router = Router(context: HubRequestContext.self)
        let table = RouteTable()
        if let recorder = ExchangeRecorderMiddleware(configuration: hub.configuration.record) { router.add(middleware: recorder) }
        router.add(middleware: RequestIDMiddleware())
        router.add(middleware: ProblemMiddleware(logger: hub.logger, routes: table))
        router.add(middleware: AuditMiddleware(audit: hub.audit, metrics: hub.metrics, maxAdminBody: hub.configuration.maxJSONBytes))
        let routes = HubRouter(router: router, table: table)
        SystemRoutes(hub: hub).register(on: routes)
        PacketRoutes(hub: hub).register(on: routes)
        ContentRoutes(hub: hub).register(on: routes)
        InboxRoutes(hub: hub).register(on: routes)
        AdminRoutes(hub: hub).register(on: routes)
        UnitRoutes(hub: hub).register(on: routes)
        AuthRoutes(hub: hub).register(on: routes)
        ServiceProxyRoutes(hub: hub).register(on: routes)
        StreamRoutes(hub: hub).register(on: routes)
        PresenceRoutes(hub: hub).register(on: routes)
        WebhookRoutes(hub: hub).register(on: routes)
        ReportRoutes(hub: hub).register(on: routes)
        CatalogueRoutes(hub: hub).register(on: routes)
        MappingStatusRoutes(hub: hub).register(on: routes)
        FileDropRoutes(hub: hub).register(on: routes)
        AuditRoutes(hub: hub).register(on: routes)
        MaintenanceRoutes(hub: hub).register(on: routes)
        IncidentRoutes(hub: hub).register(on: routes)
        SOAPDocumentRoutes(hub: hub).register(on: routes)
        SOAPServiceRoutes(hub: hub).register(on: routes)
        SSORoutes(hub: hub).register(on: routes)
        let federation = try Federation(hub: hub)
        FederationRoutes(hub: hub, federation: federation).register(on: routes)
        HealthRoutes(hub: hub, federation: federation).register(on: routes)
        try ConsoleRoutes(hub: hub, federation: federation).register(on: routes)

        let configuration = hub.configuration
        if !configuration.usesTLS && !configuration.isLoopback {
            hub.logger.warning(
                "serving plain HTTP on \(configuration.host): signatures protect integrity but not confidentiality; use --tls-cert and --tls-key outside loopback")
        }
        // HTTP/1.1 with WebSocket upgrades for /v1/stream (pings keep idle sockets alive through proxies).
        let http1 = HTTPServerBuilder.http1WebSocketUpgrade(
            configuration: .init(
                http1: HTTP1Channel.Configuration(additionalChannelHandlers: [ExpectContinueHandler()]),
                ws: WebSocketServerConfiguration(autoPing: .enabled(timePeriod: .seconds(30)))),
            shouldUpgrade: StreamRoutes.shouldUpgrade(hub: hub))
        let server: HTTPServerBuilder = configuration.usesTLS ? try .tls(http1, tlsConfiguration: try tlsConfiguration(configuration)) : http1
        return Application(
            router: router, server: server,
            configuration: ApplicationConfiguration(address: .hostname(configuration.host, port: configuration.port), serverName: "lgsp"),
            services: [
                MaintenanceService(exchange: hub.exchange, interval: configuration.maintenanceInterval, logger: hub.logger, leases: hub.taskLeases),
                ClusterService(hub: hub, logger: hub.logger),
                WebhookService(hub: hub, logger: hub.logger),
                MappingReloadService(mappings: hub.mappings, interval: configuration.transformReloadInterval, clock: hub.clock),
                FileDropService(exchange: hub.exchange, configuration: configuration.fileDrop, logger: hub.logger),
                AuditService(recorder: hub.audit),
            ] + (federation.map { [PeerLinkService(federation: $0)] as [any ServiceLifecycle.Service] } ?? []),
            onServerRunning: { channel in
                let port = channel.localAddress?.port ?? configuration.port
                hub.sso.bind(port: port)
                await onListening(port)
            },
            logger: hub.logger)
    }

    /// TLS from PEM files; with a client CA, clients must present a certificate it signed (mutual TLS).
    static func tlsConfiguration(_ configuration: HubConfiguration) throws -> TLSConfiguration {
        guard let certificate = configuration.tlsCertificate, let key = configuration.tlsKey else {
            throw LGSPError(.invalidField, "TLS needs both a certificate and a key", field: "server.tls")
        }
        var tls = TLSConfiguration.makeServerConfiguration(
            certificateChain: try NIOSSLCertificate.fromPEMFile(certificate).map { .certificate($0) },
            privateKey: .privateKey(try NIOSSLPrivateKey(file: key, format: .pem)))
        if let clientCA = configuration.tlsClientCA {
            tls.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(clientCA))
            tls.certificateVerification = .noHostnameVerification
        }
        return tls
    }
}
