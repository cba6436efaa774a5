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
    public func createApp(unit text: String, name: String, receives: DataTypeSet, by caller: Caller) async throws -> NewCredential {
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
            accessKey: CredentialGenerator.accessKey(), role: .app, receives: receives, createdAt: now)
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
