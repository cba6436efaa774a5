import Foundation
import GRDB
import LGSPCore

extension SQLiteStore: DirectoryStore {
    public func addUnit(_ unit: LGSPCore.Unit) async throws {
        do {
            try await writing { db in
                try db.run(
                    "INSERT INTO units (code, name, parent_code, status, created_at, former_names, search_text) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    [unit.code.rawValue, unit.name, unit.parent?.rawValue, unit.status.rawValue, unit.createdAt.millis,
                     unit.formerNames.joined(separator: "\n"), Self.searchText(name: unit.name, formerNames: unit.formerNames)])
            }
        } catch let error as DatabaseError where error.extendedResultCode == .SQLITE_CONSTRAINT_PRIMARYKEY {
            throw LGSPError(.unitExists, "unit \(unit.code) is already registered", field: "code")
        }
    }

    public func unit(_ code: UnitCode) async throws -> LGSPCore.Unit? {
        try await reading { db in
            try db.row("SELECT \(Self.unitColumns) FROM units u WHERE u.code = ?", [code.rawValue]).map(Self.unit)
        }
    }

    public func units() async throws -> [LGSPCore.Unit] {
        try await reading { db in
            try db.rows("SELECT \(Self.unitColumns) FROM units u ORDER BY u.code").map(Self.unit)
        }
    }

    public func addApp(_ app: App, secret: AppSecret) async throws {
        let sealed = masterKey.seal(Data(secret.secret.utf8), context: "secret:\(secret.id)")
        try await writing { db in
            try db.run("""
                    INSERT INTO apps (id, unit_code, name, access_key, role, status, receives, created_at,
                        auth_schemes, allow_sha1, rsa_public_key, debug_signatures, offline_limit_ms, accepts)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """, [
                    app.id, app.unit?.rawValue, app.name, app.accessKey, app.role.rawValue, app.status.rawValue,
                    Self.list(app.receives.items), app.createdAt.millis, Self.list(app.auth.schemes.map(\.rawValue).sorted()),
                    app.auth.allowSHA1, app.auth.rsaPublicKeyPEM, app.auth.debugSignatures, app.offlineLimit.map { Int64($0 * 1000) },
                    Self.list(app.accepts.map(\.rawValue)),
                ])
            try Self.insertSecret(secret, sealed: sealed, db: db)
        }
    }

    public func app(id: String) async throws -> App? {
        try await reading { db in
            try db.row("SELECT * FROM apps WHERE id = ?", [id]).map(Self.app)
        }
    }

    public func app(accessKey: String) async throws -> App? {
        try await reading { db in
            try db.row("SELECT * FROM apps WHERE access_key = ?", [accessKey]).map(Self.app)
        }
    }

    public func apps(unit: UnitCode?) async throws -> [App] {
        try await reading { db in
            if let unit {
                return try db.rows("SELECT * FROM apps WHERE unit_code = ? ORDER BY created_at, id", [unit.rawValue])
                    .map(Self.app)
            }
            return try db.rows("SELECT * FROM apps ORDER BY created_at, id").map(Self.app)
        }
    }

    public func setStatus(_ status: AppStatus, appID: String) async throws {
        let changed = try await writing { db in
            try db.run("UPDATE apps SET status = ? WHERE id = ?", [status.rawValue, appID])
            return db.changesCount
        }
        if changed == 0 { throw LGSPError(.unknownApp, "there is no app \(appID)") }
    }

    public func secrets(appID: String) async throws -> [AppSecret] {
        let masterKey = masterKey
        return try await reading { db in
            try db.rows("SELECT * FROM app_secrets WHERE app_id = ? ORDER BY created_at DESC, id", [appID]).map { row in
                let id: String = row["id"]
                let plain = try masterKey.open(row["sealed"] as Data, context: "secret:\(id)")
                return AppSecret(
                    id: id, appID: row["app_id"], secret: String(decoding: plain, as: UTF8.self),
                    createdAt: try stored(row.date("created_at"), "secret date"), expiresAt: row.date("expires_at"),
                    revokedAt: row.date("revoked_at"), lastUsedAt: row.date("last_used_at"))
            }
        }
    }

    public func addSecret(_ secret: AppSecret, retireOthersAt: Date?) async throws {
        let sealed = masterKey.seal(Data(secret.secret.utf8), context: "secret:\(secret.id)")
        try await writing { db in
            if let retireOthersAt {
                try db.run("""
                        UPDATE app_secrets SET expires_at = ?
                        WHERE app_id = ? AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > ?)
                        """, [retireOthersAt.millis, secret.appID, retireOthersAt.millis])
            }
            try Self.insertSecret(secret, sealed: sealed, db: db)
        }
    }

    public func setOfflineLimit(_ limit: TimeInterval?, appID: String) async throws {
        let changed = try await writing { db in
            try db.run("UPDATE apps SET offline_limit_ms = ? WHERE id = ?", [limit.map { Int64($0 * 1000) }, appID])
            return db.changesCount
        }
        if changed == 0 { throw LGSPError(.unknownApp, "there is no app \(appID)") }
    }

    public func setAccepts(_ formats: [ContentFormat], appID: String) async throws {
        let changed = try await writing { db in
            try db.run("UPDATE apps SET accepts = ? WHERE id = ?", [Self.list(formats.map(\.rawValue)), appID])
            return db.changesCount
        }
        if changed == 0 { throw LGSPError(.unknownApp, "there is no app \(appID)") }
    }

    public func setAuthPolicy(_ policy: AuthPolicy, appID: String) async throws {
        let changed = try await writing { db in
            try db.run(
                "UPDATE apps SET auth_schemes = ?, allow_sha1 = ?, rsa_public_key = ?, debug_signatures = ? WHERE id = ?",
                [Self.list(policy.schemes.map(\.rawValue).sorted()), policy.allowSHA1, policy.rsaPublicKeyPEM, policy.debugSignatures, appID])
            return db.changesCount
        }
        if changed == 0 { throw LGSPError(.unknownApp, "there is no app \(appID)") }
    }

    public func updateSecret(id: String, appID: String, expiresAt: Date?, revokedAt: Date?) async throws {
        let changed = try await writing { db in
            try db.run(
                "UPDATE app_secrets SET expires_at = ?, revoked_at = ? WHERE id = ? AND app_id = ?",
                [expiresAt?.millis, revokedAt?.millis, id, appID])
            return db.changesCount
        }
        if changed == 0 { throw LGSPError(.unknownSecret, "app \(appID) has no secret \(id)") }
    }

    public func touchSecret(id: String, at: Date) async throws {
        try await writing { db in
            try db.run("UPDATE app_secrets SET last_used_at = ? WHERE id = ?", [at.millis, id])
        }
    }

    public func addService(_ service: Service) async throws {
        do {
            try await writing { db in
                try db.run(
                    """
                    INSERT INTO services (unit_code, name, base_url, protocol, timeout_ms, provider_app_id, request_mapping, response_mapping, created_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                    [service.ref.unit.rawValue, service.ref.name, service.baseURL, service.serviceProtocol.rawValue, Int64(service.timeout * 1000),
                     service.providerAppID, service.requestMapping, service.responseMapping, service.createdAt.millis])
            }
        } catch let error as DatabaseError where error.extendedResultCode == .SQLITE_CONSTRAINT_PRIMARYKEY {
            throw LGSPError(.serviceExists, "unit \(service.ref.unit) already has a service named \(service.ref.name)", field: "name")
        }
    }

    public func service(_ ref: ServiceRef) async throws -> Service? {
        try await reading { db in
            try db.row("SELECT * FROM services WHERE unit_code = ? AND name = ?", [ref.unit.rawValue, ref.name]).map(Self.service)
        }
    }

    public func services(unit: UnitCode?) async throws -> [Service] {
        try await reading { db in
            if let unit {
                return try db.rows("SELECT * FROM services WHERE unit_code = ? ORDER BY name", [unit.rawValue]).map(Self.service)
            }
            return try db.rows("SELECT * FROM services ORDER BY unit_code, name").map(Self.service)
        }
    }

    public func addGrant(_ grant: Grant) async throws {
        try await writing { db in
            switch grant.target {
            case .send(let pattern, let dataType):
                try db.run(
                    "INSERT INTO grants (id, app_id, send_to, data_type, service, created_at) VALUES (?, ?, ?, ?, NULL, ?)",
                    [grant.id, grant.appID, pattern.rawValue, dataType?.rawValue, grant.createdAt.millis])
            case .service(let ref):
                try db.run(
                    "INSERT INTO grants (id, app_id, send_to, data_type, service, created_at) VALUES (?, ?, '', NULL, ?, ?)",
                    [grant.id, grant.appID, ref.description, grant.createdAt.millis])
            }
        }
    }

    public func grants(appID: String?) async throws -> [Grant] {
        try await reading { db in
            let rows =
                if let appID {
                    try db.rows("SELECT * FROM grants WHERE app_id = ? ORDER BY created_at, id", [appID])
                } else {
                    try db.rows("SELECT * FROM grants ORDER BY created_at, id")
                }
            return try rows.map { row in
                let target: Grant.Target
                if let service = row["service"] as String? {
                    target = .service(try ServiceRef(parsing: service))
                } else {
                    target = .send(to: try UnitPattern(row["send_to"] as String), dataType: try (row["data_type"] as String?).map { try DataType($0) })
                }
                return Grant(id: row["id"], appID: row["app_id"], target: target, createdAt: try stored(row.date("created_at"), "grant date"))
            }
        }
    }

    static func service(_ row: Row) throws -> Service {
        Service(
            ref: ServiceRef(unit: try stored(UnitCode(lenient: row["unit_code"]), "service unit"), name: row["name"]),
            baseURL: row["base_url"], serviceProtocol: try stored(ServiceProtocol(rawValue: row["protocol"]), "service protocol"),
            timeout: TimeInterval(row["timeout_ms"] as Int64) / 1000, providerAppID: row["provider_app_id"],
            requestMapping: row["request_mapping"], responseMapping: row["response_mapping"],
            createdAt: try stored(row.date("created_at"), "service date"))
    }

    private static func insertSecret(_ secret: AppSecret, sealed: Data, db: Database) throws {
        try db.run("INSERT INTO app_secrets (id, app_id, sealed, created_at, expires_at, revoked_at) VALUES (?, ?, ?, ?, ?, ?)", [secret.id, secret.appID, sealed, secret.createdAt.millis, secret.expiresAt?.millis, secret.revokedAt?.millis])
    }

    static func unit(_ row: Row) throws -> Unit {
        Unit(
            code: try stored(UnitCode(lenient: row["code"]), "unit code"), name: row["name"],
            parent: (row["parent_code"] as String?).flatMap(UnitCode.init(lenient:)),
            status: try stored(UnitStatus(rawValue: row["status"]), "unit status"),
            createdAt: try stored(row.date("created_at"), "unit date"), formerNames: Self.names(row["former_names"]),
            replacement: try Self.replacement(row),
            formerCodes: Self.list(row["former_code_list"] as String? ?? "").compactMap(UnitCode.init(lenient:)).sorted())
    }

    static func app(_ row: Row) throws -> App {
        let receives = Self.list(row["receives"] as String)
        return App(
            id: row["id"], unit: (row["unit_code"] as String?).flatMap(UnitCode.init(lenient:)), name: row["name"],
            accessKey: row["access_key"], role: try stored(AppRole(rawValue: row["role"]), "app role"),
            status: try stored(AppStatus(rawValue: row["status"]), "app status"), receives: try DataTypeSet(receives),
            accepts: try Self.list(row["accepts"] as String).map { try ContentFormat($0) },
            auth: AuthPolicy(
                schemes: Set(Self.list(row["auth_schemes"] as String).compactMap(AuthScheme.init(rawValue:))), allowSHA1: row["allow_sha1"],
                rsaPublicKeyPEM: row["rsa_public_key"], debugSignatures: row["debug_signatures"]),
            offlineLimit: (row["offline_limit_ms"] as Int64?).map { TimeInterval($0) / 1000 },
            createdAt: try stored(row.date("created_at"), "app date"))
    }

    /// Lists of codes or data types are stored as comma-separated text (neither ever contains a comma).
    static func list(_ items: [String]) -> String { items.joined(separator: ",") }

    static func list(_ text: String) -> [String] {
        text.isEmpty ? [] : text.split(separator: ",").map(String.init)
    }
}
