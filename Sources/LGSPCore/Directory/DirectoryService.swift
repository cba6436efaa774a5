import Logging

import Foundation

/// The directory use cases behind the admin API: units, apps and their keys, grants.
///
/// Registration is strict (QCVN 102:2016 codes, non-empty Vietnamese names in NFC); every method
/// checks that the caller is an administrator.
public struct DirectoryService: Sendable {
    public let store: any DirectoryStore
    public let clock: any HubClock
    let logger: Logger

    public init(store: any DirectoryStore, clock: any HubClock = SystemClock(), logger: Logger = Logger(label: "lgsp.directory")) {
        self.store = store
        self.clock = clock
        self.logger = logger
    }

    /// Registers a unit. Throws `directory.invalid_unit_code`, `directory.invalid_name`,
    /// `directory.unit_exists` or `directory.unknown_parent`.
    public func addUnit(code text: String, name: String, parent parentText: String?, by caller: Caller) async throws -> Unit {
        try caller.requireAdmin(for: "registering a unit")
        let code = try UnitCode(strict: text)
        let cleanName = try Self.validName(name)
        var parent: UnitCode?
        if let parentText, !parentText.isEmpty {
            let parentCode = try UnitCode(strict: parentText)
            guard try await store.unit(parentCode) != nil else {
                throw LGSPError(.unknownParent, "parent unit \(parentCode) is not in the directory; register it first", field: "parent")
            }
            parent = parentCode
        }
        if try await store.unit(code) != nil {
            throw LGSPError(.unitExists, "unit \(code) is already registered", field: "code")
        }
        let unit = Unit(code: code, name: cleanName, parent: parent, createdAt: clock.now())
        try await store.addUnit(unit)
        logger.info("unit registered", metadata: ["unit": "\(code)"])
        return unit
    }

    /// Every unit, by code.
    public func units(by caller: Caller) async throws -> [Unit] {
        try caller.requireAdmin(for: "listing units")
        return try await store.units()
    }

    /// A new app and its first credential pair (the secret is shown only in this result).
    public struct NewCredential: Sendable {
        public var app: App
        public var secretKey: String
        /// When the previous secret stops working (rotations only).
        public var previousSecretExpiresAt: Date?
    }

    /// Registers an app of a unit with a fresh access key and secret key.
    public func createApp(
        unit text: String, name: String, receives: DataTypeSet, accepts: [ContentFormat] = [], auth: AuthPolicy = .standard, by caller: Caller
    ) async throws -> NewCredential {
        try caller.requireAdmin(for: "creating an app")
        guard let code = UnitCode(lenient: text) else {
            throw LGSPError(.invalidUnitCode, "'\(text)' is not a QCVN 102:2016 unit code", field: "unit")
        }
        guard try await store.unit(code) != nil else {
            throw LGSPError(.unknownUnit, "unit \(code) is not in the directory", field: "unit")
        }
        let now = clock.now()
        let app = App(
            id: CredentialGenerator.identifier(), unit: code, name: try Self.validName(name),
            accessKey: CredentialGenerator.accessKey(), role: .app, receives: receives, accepts: accepts, auth: auth,
            createdAt: now)
        let secret = AppSecret(id: CredentialGenerator.identifier(), appID: app.id, secret: CredentialGenerator.secretKey(), createdAt: now)
        try await store.addApp(app, secret: secret)
        logger.info("app created", metadata: ["app": "\(app.accessKey)", "unit": "\(code)"])
        return NewCredential(app: app, secretKey: secret.secret, previousSecretExpiresAt: nil)
    }

    /// Creates the first administrator credential (used once, at first start; no caller check).
    public func bootstrapAdmin(name: String = "Quản trị hệ thống") async throws -> NewCredential {
        let now = clock.now()
        let app = App(
            id: CredentialGenerator.identifier(), unit: nil, name: name, accessKey: CredentialGenerator.accessKey(),
            role: .admin, receives: .only([]), createdAt: now)
        let secret = AppSecret(id: CredentialGenerator.identifier(), appID: app.id, secret: CredentialGenerator.secretKey(), createdAt: now)
        try await store.addApp(app, secret: secret)
        return NewCredential(app: app, secretKey: secret.secret, previousSecretExpiresAt: nil)
    }

    /// Apps, all or those of one unit.
    public func apps(unit: UnitCode?, by caller: Caller) async throws -> [App] {
        try caller.requireAdmin(for: "listing apps")
        return try await store.apps(unit: unit)
    }

    /// Issues a new secret key for an app; the previous one keeps working for `grace` seconds (0 ends it now).
    public func rotateKey(accessKey: String, grace: TimeInterval, by caller: Caller) async throws -> NewCredential {
        try caller.requireAdmin(for: "rotating a key")
        guard grace >= 0, grace <= 30 * 86400 else {
            throw LGSPError(.invalidField, "the grace period must be between 0 and 30 days", field: "graceSeconds")
        }
        let app = try await requireApp(accessKey)
        let now = clock.now()
        let secret = AppSecret(id: CredentialGenerator.identifier(), appID: app.id, secret: CredentialGenerator.secretKey(), createdAt: now)
        let retireAt = now.addingTimeInterval(grace)
        try await store.addSecret(secret, retireOthersAt: retireAt)
        logger.info("app key rotated", metadata: ["app": "\(app.accessKey)"])
        return NewCredential(app: app, secretKey: secret.secret, previousSecretExpiresAt: retireAt)
    }

    /// Disables (or re-enables) an app: its signatures are refused with `auth.app_disabled`.
    public func setStatus(_ status: AppStatus, accessKey: String, by caller: Caller) async throws -> App {
        try caller.requireAdmin(for: "changing an app's status")
        var app = try await requireApp(accessKey)
        try await store.setStatus(status, appID: app.id)
        app.status = status
        logger.info("app status changed", metadata: ["app": "\(app.accessKey)", "status": "\(status.rawValue)"])
        return app
    }

    /// Changes how an app may sign its requests.
    public func setAuthPolicy(accessKey: String, by caller: Caller, change: (inout AuthPolicy) throws(LGSPError) -> Void) async throws -> App {
        try caller.requireAdmin(for: "changing an app's signing policy")
        var app = try await requireApp(accessKey)
        try change(&app.auth)
        if app.auth.schemes.isEmpty {
            throw LGSPError(.invalidField, "an app needs at least one signature scheme", field: "schemes")
        }
        try await store.setAuthPolicy(app.auth, appID: app.id)
        logger.info("app signing policy changed", metadata: ["app": "\(app.accessKey)"])
        return app
    }

    /// Sets how long an app may stay offline with packets waiting (nil: the hub's default; 0: never give up).
    public func setOfflineLimit(_ limit: TimeInterval?, accessKey: String, by caller: Caller) async throws -> App {
        try caller.requireAdmin(for: "changing an app's offline limit")
        if let limit, limit < 0 || limit > 366 * 86400 {
            throw LGSPError(.invalidField, "the offline limit must be between 0 (never) and 31622400 seconds (a year), not \(Int(limit))", field: "seconds")
        }
        var app = try await requireApp(accessKey)
        try await store.setOfflineLimit(limit, appID: app.id)
        app.offlineLimit = limit
        logger.info("app offline limit changed", metadata: ["app": "\(app.accessKey)", "seconds": "\(limit.map { String(Int($0)) } ?? "default")"])
        return app
    }

    /// Sets the content formats an app accepts, in order of preference (empty: the content as sent).
    public func setAccepts(_ formats: [ContentFormat], accessKey: String, by caller: Caller) async throws -> App {
        try caller.requireAdmin(for: "changing the formats an app accepts")
        var app = try await requireApp(accessKey)
        try await store.setAccepts(formats, appID: app.id)
        app.accepts = formats
        logger.info("app formats changed", metadata: ["app": "\(app.accessKey)", "accepts": "\(formats.map(\.rawValue).joined(separator: ","))"])
        return app
    }

    /// The app's secret keys (metadata only, never the secrets), newest first.
    public func keys(accessKey: String, by caller: Caller) async throws -> [AppSecret] {
        try caller.requireAdmin(for: "listing keys")
        return try await store.secrets(appID: try await requireApp(accessKey).id)
    }

    /// Revokes one secret key at once (`revoke`) or makes it expire at a time (`expire`).
    public func retireKey(accessKey: String, keyID: String, revoke: Bool, expiresAt: Date?, by caller: Caller) async throws -> AppSecret {
        try caller.requireAdmin(for: revoke ? "revoking a key" : "setting a key's expiry")
        let app = try await requireApp(accessKey)
        guard var secret = try await store.secrets(appID: app.id).first(where: { $0.id == keyID }) else {
            throw LGSPError(.unknownSecret, "app \(accessKey) has no key \(keyID)", field: "keyId")
        }
        if revoke { secret.revokedAt = secret.revokedAt ?? clock.now() } else { secret.expiresAt = expiresAt }
        try await store.updateSecret(id: secret.id, appID: app.id, expiresAt: secret.expiresAt, revokedAt: secret.revokedAt)
        logger.info(revoke ? "app key revoked" : "app key expiry set", metadata: ["app": "\(accessKey)", "key": "\(keyID)"])
        return secret
    }

    /// Registers a service of a unit: where calls go, how, for how long, optionally which app provides
    /// it and the mappings that convert its requests and answers (`mappingExists` says whether the
    /// working mapping set has a mapping of that name).
    public func addService(
        unit text: String, name: String, baseURL: String, serviceProtocol: ServiceProtocol, timeout: TimeInterval, providerAccessKey: String?,
        requestMapping: String? = nil, responseMapping: String? = nil, mappingExists: (String) -> Bool = { _ in false },
        by caller: Caller
    ) async throws -> Service {
        try caller.requireAdmin(for: "registering a service")
        guard let unit = UnitCode(lenient: text), try await store.unit(unit) != nil else {
            throw LGSPError(.unknownUnit, "unit \(text) is not in the directory", field: "unit")
        }
        let ref = try ServiceRef(unit: unit, validName: name, field: "name")
        guard let url = URL(string: baseURL), let scheme = url.scheme, scheme == "http" || scheme == "https", url.host != nil else {
            throw LGSPError(.invalidField, "'\(baseURL)' is not an http(s) base URL", field: "url")
        }
        guard timeout > 0, timeout <= 600 else {
            throw LGSPError(.invalidField, "the timeout must be between 0 and 600 seconds", field: "timeoutSeconds")
        }
        for (field, mapping) in [("requestMapping", requestMapping), ("responseMapping", responseMapping)] {
            guard let mapping else { continue }
            guard mappingExists(mapping) else {
                throw LGSPError(.invalidField, "there is no working mapping '\(mapping)' (mappings/\(mapping).mapping.yaml)", field: field)
            }
        }
        var providerID: String?
        if let providerAccessKey {
            let provider = try await requireApp(providerAccessKey)
            guard provider.unit == unit else {
                throw LGSPError(.invalidField, "app \(providerAccessKey) does not belong to unit \(unit)", field: "provider")
            }
            providerID = provider.id
        }
        let service = Service(
            ref: ref, baseURL: baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL, serviceProtocol: serviceProtocol, timeout: timeout,
            providerAppID: providerID, requestMapping: requestMapping, responseMapping: responseMapping, createdAt: clock.now())
        try await store.addService(service)
        logger.info("service registered", metadata: ["service": "\(ref)"])
        return service
    }

    /// Services, all or those of one unit.
    public func services(unit: UnitCode?, by caller: Caller) async throws -> [Service] {
        try caller.requireAdmin(for: "listing services")
        return try await store.services(unit: unit)
    }

    /// Lets an app call one service through the hub.
    public func addServiceGrant(accessKey: String, service text: String, by caller: Caller) async throws -> Grant {
        try caller.requireAdmin(for: "adding a grant")
        let app = try await requireApp(accessKey)
        let ref = try ServiceRef(parsing: text)
        guard try await store.service(ref) != nil else {
            throw LGSPError(.unknownService, "there is no service \(ref)", field: "service")
        }
        let grant = Grant(id: CredentialGenerator.identifier(), appID: app.id, target: .service(ref), createdAt: clock.now())
        try await store.addGrant(grant)
        return grant
    }

    /// Lets an app send packets (of one data type, or all) to the units a pattern covers.
    public func addGrant(accessKey: String, sendTo: String, dataType: String?, by caller: Caller) async throws -> Grant {
        try caller.requireAdmin(for: "adding a grant")
        let app = try await requireApp(accessKey)
        guard app.role == .app else {
            throw LGSPError(.invalidField, "grants apply to unit apps, not to administrator credentials", field: "app")
        }
        let pattern: UnitPattern
        do { pattern = try UnitPattern(sendTo) } catch { throw error.at(field: "sendTo") }
        let type = try dataType.flatMap { $0 == "*" || $0.isEmpty ? nil : try DataType($0) }
        let grant = Grant(id: CredentialGenerator.identifier(), appID: app.id, sendTo: pattern, dataType: type, createdAt: clock.now())
        try await store.addGrant(grant)
        return grant
    }

    /// Grants, all or those of one app.
    public func grants(accessKey: String?, by caller: Caller) async throws -> [Grant] {
        try caller.requireAdmin(for: "listing grants")
        var appID: String?
        if let accessKey { appID = try await requireApp(accessKey).id }
        return try await store.grants(appID: appID)
    }

    private func requireApp(_ accessKey: String) async throws -> App {
        guard let app = try await store.app(accessKey: accessKey) else {
            throw LGSPError(.unknownApp, "there is no app with access key \(accessKey)", field: "app")
        }
        return app
    }

    /// A unit or app name: trimmed, NFC-normalised, 1 to 300 characters, no control characters.
    static func validName(_ name: String) throws(LGSPError) -> String {
        let trimmed = name.precomposedStringWithCanonicalMapping.trimmingASCIIWhitespace()
        guard !trimmed.isEmpty, trimmed.count <= 300,
            !trimmed.unicodeScalars.contains(where: { $0.properties.generalCategory == .control })
        else {
            throw LGSPError(.invalidName, "a name must have 1 to 300 characters and no control characters", field: "name")
        }
        return trimmed
    }
}

extension LGSPError {
    /// The same error, naming `field`.
    func at(field: String) -> LGSPError {
        var copy = self
        copy.field = field
        return copy
    }
}
