import AsyncHTTPClient
import Foundation
import LGSPAuth
import LGSPCore
import LGSPStorage
import LGSPTransform
import Logging

/// The assembled hub: stores, use cases and authentication, wired with values from one configuration.
public struct Hub: Sendable {
    public let configuration: HubConfiguration
    public let folder: DataFolder
    /// The database: SQLite in the data folder by default, PostgreSQL when `database.url` names one.
    public let store: any HubStore
    /// Packet content: the (possibly shared) content folder, or an S3-compatible object store (`storage.content`).
    public let blobs: any BlobStore
    public let exchange: Exchange
    public let directory: DirectoryService
    /// The working mappings and catalogues (`transform.directory`), reloaded when they change.
    public let mappings: MappingConverter
    public let authenticator: RequestAuthenticator
    /// Wakes this node's event streams when events are stored.
    let broker: EventBroker
    /// Session tokens and call assertions (Article 10).
    public let sessions: SessionAuthority
    /// The client that forwards service calls to providers: a refused connection fails after
    /// `services.connectTimeoutSeconds` instead of being retried until the call's own deadline.
    public let providers: HTTPClient
    /// Services, grants and verified session tokens of recent service calls.
    let proxyCache: ServiceProxyCache
    /// The audit log (Article 14.5), written in batches.
    public let audit: AuditRecorder
    /// The counters, histograms and gauges of `/metrics`.
    public let metrics: HubMetrics
    /// Maintenance notices and the incident log (Articles 13, 15.6); the console's banner reads
    /// `operations.currentAndUpcomingMaintenance(now:)`.
    public let operations: OperationsService
    /// The OpenID Connect provider (Article 11): officials, registered client apps, sign-in; the console
    /// redeems its codes in process with `sso.redeem(code:clientID:redirectURI:codeVerifier:)`.
    public let sso: SSOService
    public let clock: any HubClock
    public let startedAt: Date
    public let logger: Logger

    /// What happened at start that the operator must know.
    public struct StartNotice: Sendable {
        /// Set when the administrator credential was created (first start).
        public var adminCredentialWritten: String?
        /// Set when the demo directory was loaded.
        public var demo: DemoDirectory.Loaded?
    }

    /// Opens (creating on first start) the data folder, database and content store, and creates the
    /// administrator credential if there is none yet.
    public static func open(_ configuration: HubConfiguration, clock: any HubClock = SystemClock(), logger: Logger) async throws -> (Hub, StartNotice) {
        let folder = try DataFolder(path: configuration.dataDirectory)
        let masterKey = try folder.masterKey(configured: configuration.masterKey)
        let (store, auditLog) = try await openDatabase(configuration, folder: folder, masterKey: masterKey, logger: logger)
        let blobs = try configuration.content.makeStore(defaultFolder: folder.contentPath)
        let broker = EventBroker(fanout: makeEventFanout(store: store, configuration: configuration, logger: logger))
        let mappings = MappingConverter(
            root: URL(fileURLWithPath: configuration.transformDirectory, isDirectory: true).absoluteURL.standardizedFileURL, logger: logger,
            now: clock.now())
        let audit = AuditRecorder(
            log: auditLog, signer: try folder.auditSigner(),
            clock: clock, logger: logger)
        let metrics = HubMetrics()
        var exchange = Exchange(
            directory: store, packets: store, blobs: blobs, clock: clock, masterKey: masterKey, configuration: configuration.exchange,
            notifier: broker, presence: store, converter: mappings, traces: store, logger: logger)
        exchange.observer = HubActivity(audit: audit, metrics: metrics, packets: store)
        let directory = DirectoryService(store: store, clock: clock, logger: logger)
        let verifier = SigV4Verifier(region: configuration.authRegion, service: configuration.authService, allowedSkew: configuration.clockSkew)
        let sessions = SessionAuthority(store: store, issuer: configuration.exchange.hubName, clock: clock)
        let hub = Hub(
            configuration: configuration, folder: folder, store: store, blobs: blobs, exchange: exchange, directory: directory, mappings: mappings,
            authenticator: RequestAuthenticator(
                schemes: [
                    SigV4Scheme(verifier: verifier), HTTPMessageSignatureScheme(allowedSkew: configuration.clockSkew),
                    OAuth1Scheme(allowedSkew: configuration.clockSkew),
                ],
                directory: store, nonces: store, clock: clock,
                cache: CredentialCache(ttl: configuration.credentialCacheSeconds), nonceWindow: 2 * configuration.clockSkew,
                presence: store, activityInterval: min(10, configuration.presenceWindow / 4)),
            broker: broker,
            sessions: sessions,
            providers: HTTPClient(
                eventLoopGroup: HTTPClient.defaultEventLoopGroup,
                configuration: HTTPClient.Configuration(
                    timeout: .init(connect: .milliseconds(Int64(configuration.providerConnectTimeout * 1000))),
                    connectionPool: .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: 32))),
            proxyCache: ServiceProxyCache(ttl: configuration.credentialCacheSeconds),
            audit: audit, metrics: metrics,
            operations: try makeOperations(
                store: store, folder: folder, masterKey: masterKey, configuration: configuration, notifier: broker, audit: audit, clock: clock,
                logger: logger),
            sso: SSOService(
                accounts: store, keys: sessions, hub: configuration, clock: clock, audit: audit, http: HTTPClient.shared, logger: logger),
            clock: clock, startedAt: clock.now(),
            logger: logger)
        try await hub.sessions.load()
        // Streams this node held before it stopped (or crashed) are over.
        try await store.closeConnections(node: configuration.nodeName, at: clock.now())
        var notice = StartNotice()
        if try await store.apps(unit: nil).first(where: { $0.role == .admin }) == nil {
            let admin = try await directory.bootstrapAdmin()
            let file = CredentialFile(accessKey: admin.app.accessKey, secretKey: admin.secretKey, name: admin.app.name)
            try folder.writeSecretFile(folder.adminCredentialPath, contents: String(decoding: try JSONEncoder.pretty.encode(file), as: UTF8.self) + "\n")
            notice.adminCredentialWritten = folder.adminCredentialPath
        }
        if configuration.demo {
            notice.demo = try await DemoDirectory.load(into: hub)
        }
        return (hub, notice)
    }

    /// The administrator caller used by start-up tasks (demo loading).
    func adminCaller() async throws -> Caller {
        guard let admin = try await store.apps(unit: nil).first(where: { $0.role == .admin }) else {
            throw LGSPError(.internalError, "no administrator credential exists")
        }
        return Caller(app: admin)
    }
}

extension JSONEncoder {
    /// Indented, sorted JSON for files people read.
    static var pretty: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return encoder
    }
}
