import Configuration
import Foundation
import LGSPCore
import SystemPackage

extension HubConfiguration {
    /// Reads the configuration from, in order of precedence: `overrides` (command-line flags), the
    /// environment (`LGSP_…`), the YAML file at `file`, then the defaults.
    ///
    /// - Throws: if the YAML file is missing or malformed.
    public static func load(
        overrides: [String: String] = [:], environment: [String: String] = ProcessInfo.processInfo.environment, file: String? = nil
    ) async throws -> HubConfiguration {
        var providers: [any ConfigProvider] = [
            InMemoryProvider(
                name: "flags",
                values: Dictionary(uniqueKeysWithValues: overrides.map { (AbsoluteConfigKey(stringLiteral: $0.key), typed($0.value)) })),
            EnvironmentVariablesProvider(environmentVariables: environment, secretsSpecifier: .specific(["LGSP_SECURITY_MASTER_KEY", "LGSP_STORAGE_S3_SECRET_KEY", "LGSP_DATABASE_URL"]))
                .prefixKeys(with: "lgsp"),
        ]
        if let file {
            providers.append(try await FileProvider<YAMLSnapshot>(filePath: FilePath(file)))
        }
        var configuration = HubConfiguration(reader: ConfigReader(providers: providers))
        guard ["text", "json"].contains(configuration.logFormat) else {
            throw LGSPError(.invalidField, "log.format must be text or json, not '\(configuration.logFormat.prefix(32))'", field: "log.format")
        }
        // The object store's secret may also come as LGSP_S3_SECRET_KEY (when no other source sets it).
        if configuration.content.s3SecretKey == nil { configuration.content.s3SecretKey = environment["LGSP_S3_SECRET_KEY"] }
        if let file = configuration.federationFile {
            let federation = try FederationConfiguration.load(file: file, environment: environment)
            configuration.federation = federation
            configuration.exchange.router = federation.router
        }
        return configuration
    }

    /// A flag's text as the config value type a key is read with (ints, booleans, strings).
    private static func typed(_ text: String) -> ConfigValue {
        if let number = Int(text) { return ConfigValue(.int(number), isSecret: false) }
        if text == "true" || text == "false" { return ConfigValue(.bool(text == "true"), isSecret: false) }
        return ConfigValue(.string(text), isSecret: false)
    }

    /// Builds the configuration from a reader (see the type's documentation for every key).
    public init(reader config: ConfigReader) {
        self.init()
        host = config.string(forKey: "server.host", default: host)
        port = config.int(forKey: "server.port", default: port)
        publicURL = config.string(forKey: "server.publicURL")
        tlsCertificate = config.string(forKey: "server.tls.certificate")
        tlsKey = config.string(forKey: "server.tls.key")
        tlsClientCA = config.string(forKey: "server.tls.clientCA")
        dataDirectory = config.string(forKey: "data.directory", default: dataDirectory)
        masterKey = config.string(forKey: "security.masterKey", isSecret: true)
        authRegion = config.string(forKey: "auth.region", default: authRegion)
        authService = config.string(forKey: "auth.service", default: authService)
        clockSkew = config.double(forKey: "auth.clockSkewSeconds", default: clockSkew)
        credentialCacheSeconds = config.double(forKey: "auth.credentialCacheSeconds", default: credentialCacheSeconds)
        providerConnectTimeout = config.double(forKey: "services.connectTimeoutSeconds", default: providerConnectTimeout)
        nodeName = config.string(forKey: "hub.node", default: nodeName)
        exchange.offlineLimit = config.double(forKey: "exchange.offlineLimitSeconds", default: exchange.offlineLimit)
        heartbeatInterval = config.double(forKey: "realtime.heartbeatSeconds", default: heartbeatInterval)
        clusterLease = max(0.3, config.double(forKey: "cluster.leaseSeconds", default: clusterLease))
        presenceWindow = config.double(forKey: "realtime.presenceWindowSeconds", default: presenceWindow)
        webhookMaxAttempts = config.int(forKey: "webhooks.maxAttempts", default: webhookMaxAttempts)
        webhookBaseDelay = config.double(forKey: "webhooks.baseDelaySeconds", default: webhookBaseDelay)
        webhookPollInterval = config.double(forKey: "webhooks.pollSeconds", default: webhookPollInterval)
        webhookAllowedHosts = (config.string(forKey: "webhooks.allowedHosts") ?? "").split(separator: ",")
            .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        maxJSONBytes = config.int(forKey: "limits.maxJsonBytes", default: maxJSONBytes)
        exchange.maxContentSize = Int64(config.int(forKey: "limits.maxContentBytes", default: Int(exchange.maxContentSize)))
        exchange.maxInlineContentSize = Int64(config.int(forKey: "limits.maxInlineContentBytes", default: Int(exchange.maxInlineContentSize)))
        exchange.maxRecipients = config.int(forKey: "limits.maxRecipients", default: exchange.maxRecipients)
        exchange.maxSubjectLength = config.int(forKey: "limits.maxSubjectLength", default: exchange.maxSubjectLength)
        exchange.uploadWindow = config.double(forKey: "exchange.uploadWindowSeconds", default: exchange.uploadWindow)
        exchange.downloadWindow = config.double(forKey: "exchange.downloadWindowSeconds", default: exchange.downloadWindow)
        exchange.syncContent = config.bool(forKey: "storage.syncContent", default: exchange.syncContent)
        exchange.hubName = config.string(forKey: "hub.name", default: exchange.hubName)
        sqliteSynchronous = config.string(forKey: "storage.sqliteSynchronous", default: sqliteSynchronous)
        databaseURL = config.string(forKey: "database.url").flatMap { $0.isEmpty ? nil : $0 }
        databaseMaxConnections = max(2, config.int(forKey: "database.maxConnections", default: databaseMaxConnections))
        content = ContentStorageConfiguration(reader: config)
        maintenanceInterval = config.double(forKey: "maintenance.intervalSeconds", default: maintenanceInterval)
        transformDirectory = config.string(forKey: "transform.directory", default: transformDirectory)
        transformReloadInterval = config.double(forKey: "transform.reloadSeconds", default: transformReloadInterval)
        exchange.maxTransformSize = Int64(config.int(forKey: "transform.maxContentBytes", default: Int(exchange.maxTransformSize)))
        logLevel = config.string(forKey: "log.level", default: logLevel)
        logFormat = config.string(forKey: "log.format", default: logFormat)
        fileDropRoot = config.string(forKey: "fileDrop.root")
        fileDropPollInterval = config.double(forKey: "fileDrop.pollSeconds", default: fileDropPollInterval)
        fileDropMaxFileBytes = Int64(config.int(forKey: "fileDrop.maxFileBytes", default: Int(fileDropMaxFileBytes)))
        fileDropEnabled = config.bool(forKey: "fileDrop.enabled", default: fileDropEnabled)
        record.directory = config.string(forKey: "record.directory")
        record.apps = Set(
            (config.string(forKey: "record.apps") ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty })
        record.bodies = config.bool(forKey: "record.bodies", default: record.bodies)
        record.maxBodyBytes = config.int(forKey: "record.maxBodyBytes", default: record.maxBodyBytes)
        demo = config.bool(forKey: "demo", default: demo)
        federationFile = config.string(forKey: "federation.file")
        sso.issuer = config.string(forKey: "sso.issuer")
        sso.lockoutAttempts = config.int(forKey: "sso.lockoutAttempts", default: sso.lockoutAttempts)
        sso.lockoutDuration = config.double(forKey: "sso.lockoutMinutes", default: sso.lockoutDuration / 60) * 60
        sso.codeLifetime = config.double(forKey: "sso.codeSeconds", default: sso.codeLifetime)
        sso.tokenLifetime = config.double(forKey: "sso.tokenSeconds", default: sso.tokenLifetime)
        sso.sessionLifetime = config.double(forKey: "sso.sessionHours", default: sso.sessionLifetime / 3600) * 3600
        sso.passwordCost = config.int(forKey: "sso.passwordCost", default: sso.passwordCost)
        sso.backchannelTimeout = config.double(forKey: "sso.backchannelTimeoutSeconds", default: sso.backchannelTimeout)
    }
}
