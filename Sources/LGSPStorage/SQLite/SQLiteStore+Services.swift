import Foundation
import GRDB
import LGSPCore

extension SQLiteStore: SigningKeyStore {
    public func signingKeys() async throws -> [StoredSigningKey] {
        let masterKey = masterKey
        return try await reading { db in
            try db.rows("SELECT * FROM signing_keys ORDER BY created_at DESC, kid").map { row in
                let kid: String = row["kid"]
                let pem = try masterKey.open(row["sealed_private_key"] as Data, context: "signing-key:\(kid)")
                return StoredSigningKey(
                    kid: kid, privateKeyPEM: String(decoding: pem, as: UTF8.self), createdAt: try stored(row.date("created_at"), "key date"),
                    retiredAt: row.date("retired_at"))
            }
        }
    }

    public func addSigningKey(_ key: StoredSigningKey) async throws {
        let sealed = masterKey.seal(Data(key.privateKeyPEM.utf8), context: "signing-key:\(key.kid)")
        try await writing { db in
            try db.run(
                "INSERT INTO signing_keys (kid, sealed_private_key, created_at, retired_at) VALUES (?, ?, ?, ?)",
                [key.kid, sealed, key.createdAt.millis, key.retiredAt?.millis])
        }
    }

    public func retireSigningKeys(except kid: String, at: Date) async throws {
        try await writing { db in
            try db.run("UPDATE signing_keys SET retired_at = ? WHERE kid <> ? AND retired_at IS NULL", [at.millis, kid])
        }
    }
}

extension SQLiteStore: ServiceCallLog {
    public func record(_ call: ServiceCall) async throws {
        try await writing { db in
            try db.run(
                """
                INSERT INTO service_calls (at, consumer_app, consumer_unit, service, method, path, status, request_bytes, response_bytes,
                    duration_ms, error_code)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
                [call.at.millis, call.consumerApp, call.consumerUnit.rawValue, call.service.description, call.method, call.path, call.status,
                 call.requestBytes, call.responseBytes, Int64(call.duration * 1000), call.errorCode])
        }
    }

    public func calls(since date: Date, limit: Int) async throws -> [ServiceCall] {
        try await reading { db in
            try db.rows("SELECT * FROM service_calls WHERE at >= ? ORDER BY seq LIMIT ?", [date.millis, limit]).map { row in
                ServiceCall(
                    at: try stored(row.date("at"), "call date"), consumerApp: row["consumer_app"],
                    consumerUnit: try stored(UnitCode(lenient: row["consumer_unit"]), "consumer unit"),
                    service: try ServiceRef(parsing: row["service"] as String), method: row["method"], path: row["path"], status: row["status"],
                    requestBytes: row["request_bytes"], responseBytes: row["response_bytes"],
                    duration: TimeInterval(row["duration_ms"] as Int64) / 1000, errorCode: row["error_code"])
            }
        }
    }
}
