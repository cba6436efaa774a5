import Foundation
import LGSPCore
import PostgresNIO

/// Units, apps, secrets, services and grants (`DirectoryStore`), with the same rows as SQLite's.
extension PostgresStore: DirectoryStore {
    public func addUnit(_ unit: LGSPCore.Unit) async throws {
        do {
            try await client.query(
                """
                INSERT INTO units (code, name, parent_code, status, created_at, former_names, search_text)
                VALUES (\(unit.code.rawValue), \(unit.name), \(unit.parent?.rawValue), \(unit.status.rawValue), \(unit.createdAt.millis),
                    \(unit.formerNames.joined(separator: "\n")), \(SQLiteStore.searchText(name: unit.name, formerNames: unit.formerNames)))
                """, logger: logger)
        } catch where Self.isUniqueViolation(error) {
            throw LGSPError(.unitExists, "unit \(unit.code) is already registered", field: "code")
        } catch {
            throw Self.storageError(error, doing: "add a unit")
        }
    }

    public func unit(_ code: UnitCode) async throws -> LGSPCore.Unit? {
        try await rows("SELECT \(unescaped: Self.unitColumns) FROM units u WHERE u.code = \(code.rawValue)").first.map(Self.unit)
    }

    public func units() async throws -> [LGSPCore.Unit] {
        try await rows("SELECT \(unescaped: Self.unitColumns) FROM units u ORDER BY u.code").map(Self.unit)
    }

    public func addApp(_ app: App, secret: AppSecret) async throws {
        let sealed = masterKey.seal(Data(secret.secret.utf8), context: "secret:\(secret.id)")
        try await transaction { tx in
            try await tx.run(
                """
                INSERT INTO apps (id, unit_code, name, access_key, role, status, receives, created_at,
                    auth_schemes, allow_sha1, rsa_public_key, debug_signatures, offline_limit_ms, accepts)
                VALUES (\(app.id), \(app.unit?.rawValue), \(app.name), \(app.accessKey), \(app.role.rawValue), \(app.status.rawValue),
                    \(SQLiteStore.list(app.receives.items)), \(app.createdAt.millis), \(SQLiteStore.list(app.auth.schemes.map(\.rawValue).sorted())),
                    \(app.auth.allowSHA1), \(app.auth.rsaPublicKeyPEM), \(app.auth.debugSignatures), \(app.offlineLimit.map { Int64($0 * 1000) }),
                    \(SQLiteStore.list(app.accepts.map(\.rawValue))))
                """)
            try await Self.insertSecret(secret, sealed: sealed, tx)
        }
    }

    public func app(id: String) async throws -> App? {
        try await rows("SELECT * FROM apps WHERE id = \(id)").first.map(Self.app)
    }

    public func app(accessKey: String) async throws -> App? {
        try await rows(PostgresStatements.AppByAccessKey(accessKey: accessKey)).first.map(Self.app)
    }

    public func apps(unit: UnitCode?) async throws -> [App] {
        if let unit {
            return try await rows("SELECT * FROM apps WHERE unit_code = \(unit.rawValue) ORDER BY created_at, id").map(Self.app)
        }
        return try await rows("SELECT * FROM apps ORDER BY created_at, id").map(Self.app)
    }

    public func setStatus(_ status: AppStatus, appID: String) async throws {
        try await updateApp(appID, "UPDATE apps SET status = \(status.rawValue) WHERE id = \(appID) RETURNING 1")
    }

    public func secrets(appID: String) async throws -> [AppSecret] {
        try await rows("SELECT * FROM app_secrets WHERE app_id = \(appID) ORDER BY created_at DESC, id").map { row in
            let id = try row.string("id")
            let plain = try masterKey.open(try row.data("sealed"), context: "secret:\(id)")
            return AppSecret(
                id: id, appID: try row.string("app_id"), secret: String(decoding: plain, as: UTF8.self), createdAt: try row.date("created_at"),
                expiresAt: try row.optionalDate("expires_at"), revokedAt: try row.optionalDate("revoked_at"),
                lastUsedAt: try row.optionalDate("last_used_at"))
        }
    }

    public func addSecret(_ secret: AppSecret, retireOthersAt: Date?) async throws {
        let sealed = masterKey.seal(Data(secret.secret.utf8), context: "secret:\(secret.id)")
        try await transaction { tx in
            if let retire = retireOthersAt?.millis {
                try await tx.run(
                    """
                    UPDATE app_secrets SET expires_at = \(retire)
                    WHERE app_id = \(secret.appID) AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > \(retire))
                    """)
            }
            try await Self.insertSecret(secret, sealed: sealed, tx)
        }
    }

    public func setOfflineLimit(_ limit: TimeInterval?, appID: String) async throws {
        try await updateApp(appID, "UPDATE apps SET offline_limit_ms = \(limit.map { Int64($0 * 1000) }) WHERE id = \(appID) RETURNING 1")
    }

    public func setAccepts(_ formats: [ContentFormat], appID: String) async throws {
        try await updateApp(appID, "UPDATE apps SET accepts = \(SQLiteStore.list(formats.map(\.rawValue))) WHERE id = \(appID) RETURNING 1")
    }

    public func setAuthPolicy(_ policy: AuthPolicy, appID: String) async throws {
        try await updateApp(
            appID,
            """
            UPDATE apps SET auth_schemes = \(SQLiteStore.list(policy.schemes.map(\.rawValue).sorted())), allow_sha1 = \(policy.allowSHA1),
                rsa_public_key = \(policy.rsaPublicKeyPEM), debug_signatures = \(policy.debugSignatures)
            WHERE id = \(appID) RETURNING 1
            """)
    }

    public func updateSecret(id: String, appID: String, expiresAt: Date?, revokedAt: Date?) async throws {
        let changed = try await rows(
            """
            UPDATE app_secrets SET expires_at = \(expiresAt?.millis), revoked_at = \(revokedAt?.millis)
            WHERE id = \(id) AND app_id = \(appID) RETURNING 1
            """)
        if changed.isEmpty { throw LGSPError(.unknownSecret, "app \(appID) has no secret \(id)") }
    }

    public func touchSecret(id: String, at: Date) async throws {
        try await run("UPDATE app_secrets SET last_used_at = \(at.millis) WHERE id = \(id)")
    }

    public func addService(_ service: Service) async throws {
        do {
            try await client.query(
                """
                INSERT INTO services (unit_code, name, base_url, protocol, timeout_ms, provider_app_id, request_mapping, response_mapping, created_at)
                VALUES (\(service.ref.unit.rawValue), \(service.ref.name), \(service.baseURL), \(service.serviceProtocol.rawValue),
                    \(Int64(service.timeout * 1000)), \(service.providerAppID), \(service.requestMapping), \(service.responseMapping),
                    \(service.createdAt.millis))
                """, logger: logger)
        } catch where Self.isUniqueViolation(error) {
            throw LGSPError(.serviceExists, "unit \(service.ref.unit) already has a service named \(service.ref.name)", field: "name")
        } catch {
            throw Self.storageError(error, doing: "add a service")
        }
    }

    public func service(_ ref: ServiceRef) async throws -> Service? {
        try await rows("SELECT * FROM services WHERE unit_code = \(ref.unit.rawValue) AND name = \(ref.name)").first.map(Self.service)
    }

    public func services(unit: UnitCode?) async throws -> [Service] {
        if let unit {
            return try await rows("SELECT * FROM services WHERE unit_code = \(unit.rawValue) ORDER BY name").map(Self.service)
        }
        return try await rows("SELECT * FROM services ORDER BY unit_code, name").map(Self.service)
    }

    public func addGrant(_ grant: Grant) async throws {
        switch grant.target {
        case .send(let pattern, let dataType):
            try await run(
                """
                INSERT INTO grants (id, app_id, send_to, data_type, service, created_at)
                VALUES (\(grant.id), \(grant.appID), \(pattern.rawValue), \(dataType?.rawValue), NULL, \(grant.createdAt.millis))
                """)
        case .service(let ref):
            try await run(
                """
                INSERT INTO grants (id, app_id, send_to, data_type, service, created_at)
                VALUES (\(grant.id), \(grant.appID), '', NULL, \(ref.description), \(grant.createdAt.millis))
                """)
        }
    }

    public func grants(appID: String?) async throws -> [Grant] {
        let found =
            if let appID {
                try await rows("SELECT * FROM grants WHERE app_id = \(appID) ORDER BY created_at, id")
            } else {
                try await rows("SELECT * FROM grants ORDER BY created_at, id")
            }
        return try found.map { row in
            let target: Grant.Target
            if let service = try row.optionalString("service") {
                target = .service(try ServiceRef(parsing: service))
            } else {
                target = .send(to: try UnitPattern(try row.string("send_to")), dataType: try row.optionalString("data_type").map { try DataType($0) })
            }
            return Grant(id: try row.string("id"), appID: try row.string("app_id"), target: target, createdAt: try row.date("created_at"))
        }
    }

    // MARK: Rows

    /// Runs an app update ending in `RETURNING 1`; no row: `directory.unknown_app`.
    private func updateApp(_ appID: String, _ query: PostgresQuery) async throws {
        if try await rows(query).isEmpty { throw LGSPError(.unknownApp, "there is no app \(appID)") }
    }

    private static func insertSecret(_ secret: AppSecret, sealed: Data, _ tx: PGTransaction) async throws {
        try await tx.run(
            """
            INSERT INTO app_secrets (id, app_id, sealed, created_at, expires_at, revoked_at)
            VALUES (\(secret.id), \(secret.appID), \(sealed), \(secret.createdAt.millis), \(secret.expiresAt?.millis), \(secret.revokedAt?.millis))
            """)
    }

    static func service(_ row: PGRow) throws -> Service {
        Service(
            ref: ServiceRef(unit: try stored(UnitCode(lenient: try row.string("unit_code")), "service unit"), name: try row.string("name")),
            baseURL: try row.string("base_url"), serviceProtocol: try stored(ServiceProtocol(rawValue: try row.string("protocol")), "service protocol"),
            timeout: TimeInterval(try row.int64("timeout_ms")) / 1000, providerAppID: try row.optionalString("provider_app_id"),
            requestMapping: try row.optionalString("request_mapping"), responseMapping: try row.optionalString("response_mapping"),
            createdAt: try row.date("created_at"))
    }

    static func unit(_ row: PGRow) throws -> LGSPCore.Unit {
        LGSPCore.Unit(
            code: try stored(UnitCode(lenient: try row.string("code")), "unit code"), name: try row.string("name"),
            parent: try row.optionalString("parent_code").flatMap(UnitCode.init(lenient:)),
            status: try stored(UnitStatus(rawValue: try row.string("status")), "unit status"),
            createdAt: try row.date("created_at"), formerNames: SQLiteStore.names(try row.optionalString("former_names")),
            replacement: try replacement(row),
            formerCodes: SQLiteStore.list(try row.optionalString("former_code_list") ?? "").compactMap(UnitCode.init(lenient:)).sorted())
    }

    static func app(_ row: PGRow) throws -> App {
        App(
            id: try row.string("id"), unit: try row.optionalString("unit_code").flatMap(UnitCode.init(lenient:)), name: try row.string("name"),
            accessKey: try row.string("access_key"), role: try stored(AppRole(rawValue: try row.string("role")), "app role"),
            status: try stored(AppStatus(rawValue: try row.string("status")), "app status"),
            receives: try DataTypeSet(SQLiteStore.list(try row.string("receives"))),
            accepts: try SQLiteStore.list(try row.string("accepts")).map { try ContentFormat($0) },
            auth: AuthPolicy(
                schemes: Set(SQLiteStore.list(try row.string("auth_schemes")).compactMap(AuthScheme.init(rawValue:))),
                allowSHA1: try row.bool("allow_sha1"), rsaPublicKeyPEM: try row.optionalString("rsa_public_key"),
                debugSignatures: try row.bool("debug_signatures")),
            offlineLimit: try row.optionalInt64("offline_limit_ms").map { TimeInterval($0) / 1000 },
            createdAt: try row.date("created_at"))
    }
}
