import Foundation
import LGSPAdapters
import LGSPCore

/// Everything `lgsp serve` can be told. Read in one place (`HubConfiguration.load`): command-line
/// flags over environment variables (`LGSP_` + the key in upper snake case, e.g.
/// `LGSP_SERVER_PORT`, `LGSP_LIMITS_MAX_CONTENT_BYTES`) over the YAML file given with `--config`
/// over these defaults.
///
/// Keys:
///   - `server.host` (string, default: `127.0.0.1`)
///   - `server.port` (int, default: `8080`; 0 picks a free port)
///   - `server.publicURL` (string, optional): base URL clients use, for upload/download spaces;
///     default: taken from each request's Host header
///   - `server.tls.certificate`, `server.tls.key` (PEM paths, optional): serve HTTPS
///   - `server.tls.clientCA` (PEM path, optional): require client certificates signed by this CA (mutual TLS)
///   - `data.directory` (string, default: `./lgsp-data`)
///   - `security.masterKey` (base64 of 32 bytes, optional): default: generated into `<data>/master.key`
///   - `auth.region` (default `vn`), `auth.service` (default `lgsp`), `auth.clockSkewSeconds` (default 300)
///   - `auth.credentialCacheSeconds` (default 5): how long an app's credentials are cached; changes made
///     on another node take effect within this time
///   - `services.connectTimeoutSeconds` (default 3): how long the hub tries to reach a service's provider
///   - `limits.maxJsonBytes` (default 1 MiB), `limits.maxContentBytes` (default 4 GiB),
///     `limits.maxInlineContentBytes` (default 4 MiB), `limits.maxRecipients` (default 1000),
///     `limits.maxSubjectLength` (default 1000)
///   - `exchange.uploadWindowSeconds`, `exchange.downloadWindowSeconds` (default 86400 each)
///   - `storage.syncContent` (bool, default true): fsync content before confirming an upload
///   - `storage.sqliteSynchronous` (`NORMAL` or `FULL`, default `NORMAL`)
///   - `database.url` (string, optional; env `LGSP_DATABASE_URL`, flag `--database`): `postgres://user@host:5432/db`
///     keeps everything in that PostgreSQL database (several nodes may share it); unset: SQLite in the data folder
///   - `database.maxConnections` (int, default 20): the PostgreSQL connection pool's size per node
///   - `storage.content` (`folder` or `s3`), `storage.folder`, `storage.s3.*`: where content is kept
///     (see `ContentStorageConfiguration`)
///   - `maintenance.intervalSeconds` (double, default 1)
///   - `transform.directory` (string, default `.`, the working directory): the folder holding
///     `mappings/` (mappings, their tests, `datatypes.yaml`, `catalogues/`) and `schemas/`
///   - `transform.reloadSeconds` (double, default 5; 0: never): how often the hub looks for changed
///     mappings, schemas and catalogues and reloads them (only a set that loads and passes its tests)
///   - `transform.maxContentBytes` (int, default 16 MiB): largest content converted for a destination
///   - `fileDrop.root` (string, default `<data>/drop`), `fileDrop.pollSeconds` (double, default 1),
///     `fileDrop.maxFileBytes` (int, default 256 MiB), `fileDrop.enabled` (bool, default true): file-drop
///     folders (see `FileDropConfiguration`)
///   - `record.directory` (string, optional): record every exchange at the adapter boundary into
///     cassettes `<directory>/<app access key>/<yyyy-MM-dd>.jsonl` (secrets redacted; see
///     `ExchangeRecorderMiddleware`); `record.apps` (comma-separated access keys, default: every
///     caller), `record.bodies` (bool, default false), `record.maxBodyBytes` (int, default 256 KiB)
///   - `sso.issuer`, `sso.lockoutAttempts`, `sso.lockoutMinutes`, `sso.codeSeconds`, `sso.tokenSeconds`,
///     `sso.sessionHours`, `sso.passwordCost`, `sso.backchannelTimeoutSeconds`: the SSO (see `SSOConfiguration`)
///   - `federation.file` (string, optional): the federation file, role and peers (see `FederationConfiguration`)
///   - `hub.name` (string, default `lgsp`)
///   - `log.level` (trace…critical, default `info`)
///   - `log.format` (`text` or `json`, default `text`): `json` writes one JSON object per line
///     (timestamp, level, label, message, requestId, metadata; see `JSONLogHandler`)
public struct HubConfiguration: Sendable {
    public var host = "127.0.0.1"
    public var port = 8080
    public var publicURL: String?
    public var tlsCertificate: String?
    public var tlsKey: String?
    public var tlsClientCA: String?
    public var dataDirectory = "./lgsp-data"
    public var masterKey: String?
    public var authRegion = "vn"
    public var authService = "lgsp"
    public var clockSkew: TimeInterval = 300
    public var credentialCacheSeconds: TimeInterval = 5
    public var providerConnectTimeout: TimeInterval = 3
    /// This node's name in connection history: `hub.node` (default: the host name).
    public var nodeName = ProcessInfo.processInfo.hostName
    /// Seconds between stream heartbeats (and event-log polls): `realtime.heartbeatSeconds` (default 15).
    public var heartbeatInterval: TimeInterval = 15
    /// Seconds a node's lease lasts (`cluster.leaseSeconds`, default 10): a node renews it every third of
    /// that; when it lapses, another node closes the dead node's connections and takes over its work.
    public var clusterLease: TimeInterval = 10
    /// An app counts as online while it holds a stream or called within this many seconds:
    /// `realtime.presenceWindowSeconds` (default 120).
    public var presenceWindow: TimeInterval = 120
    /// Webhook pushes: attempts before an event is dead-lettered (`webhooks.maxAttempts`, default 8),
    /// the first retry delay (`webhooks.baseDelaySeconds`, default 1; doubling up to 5 minutes), and how
    /// often the pusher looks for work (`webhooks.pollSeconds`, default 0.5).
    public var webhookMaxAttempts = 8
    public var webhookBaseDelay: TimeInterval = 1
    public var webhookPollInterval: TimeInterval = 0.5
    /// Hosts webhooks may point at (`webhooks.allowedHosts`, comma-separated; `.suffix` for a domain
    /// and its subdomains); empty: any host but link-local and unspecified addresses.
    public var webhookAllowedHosts: [String] = []
    public var maxJSONBytes = 1 << 20
    public var exchange = ExchangeConfiguration()
    public var sqliteSynchronous = "NORMAL"
    /// `database.url`: a PostgreSQL database (`postgres://…`) instead of SQLite in the data folder.
    public var databaseURL: String?
    /// `database.maxConnections`: the PostgreSQL pool size of this node (default 20).
    public var databaseMaxConnections = 20
    /// Where packet content is kept (`storage.content`, `storage.folder`, `storage.s3.*`).
    public var content = ContentStorageConfiguration()
    public var maintenanceInterval: TimeInterval = 1
    /// The folder holding `mappings/` and `schemas/`: `transform.directory` (default `.`).
    public var transformDirectory = "."
    /// Seconds between looks for changed mappings: `transform.reloadSeconds` (default 5; 0: never).
    public var transformReloadInterval: TimeInterval = 5
    public var logLevel = "info"
    /// `log.format`: `text` (default) or `json`.
    public var logFormat = "text"
    /// File-drop folders (`fileDrop.*`); `root` nil: `<data>/drop`.
    public var fileDropRoot: String?
    public var fileDropPollInterval: TimeInterval = 1
    public var fileDropMaxFileBytes: Int64 = 256 << 20
    public var fileDropEnabled = true
    /// Exchange recording (`record.*`); off unless `record.directory` is set.
    public var record = RecordConfiguration()
    /// Load the demo directory (`--demo`).
    public var demo = false
    /// The OpenID Connect provider (`sso.*`, see `SSOConfiguration`).
    public var sso = SSOConfiguration()
    /// The federation file (`federation.file`, YAML: role and peers, see `FederationConfiguration`); nil: no peers.
    public var federationFile: String?
    /// The federation read from `federationFile` by `load` (its router is also `exchange.router`).
    public var federation: FederationConfiguration?

    public init() {}

    /// The file-drop adapter's settings.
    public var fileDrop: FileDropConfiguration {
        FileDropConfiguration(
            root: ((fileDropRoot ?? FileDropConfiguration.defaultRoot(data: dataDirectory)) as NSString).standardizingPath,
            pollInterval: fileDropPollInterval, maxFileBytes: fileDropMaxFileBytes, enabled: fileDropEnabled)
    }

    /// Whether the hub serves HTTPS.
    public var usesTLS: Bool { tlsCertificate != nil && tlsKey != nil }

    /// Whether `host` is a loopback address (plain HTTP is only the default there).
    public var isLoopback: Bool {
        host == "127.0.0.1" || host == "::1" || host == "localhost" || host.hasPrefix("127.")
    }
}
