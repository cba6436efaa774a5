import Foundation
import LGSPCore
import PostgresNIO

/// Token-signing keys (sealed with the master key) and the log of service calls.
extension PostgresStore: SigningKeyStore {
    public func signingKeys() async throws -> [StoredSigningKey] {
        try await rows("SELECT * FROM signing_keys ORDER BY created_at DESC, kid").map { row in
            let kid = try row.string("kid")
            let pem = try masterKey.open(try row.data("sealed_private_key"), context: "signing-key:\(kid)")
            return StoredSigningKey(
                kid: kid, privateKeyPEM: String(decoding: pem, as: UTF8.self), createdAt: try row.date("created_at"),
                retiredAt: try row.optionalDate("retired_at"))
        }
    }

    public func addSigningKey(_ key: StoredSigningKey) async throws {
        let sealed = masterKey.seal(Data(key.privateKeyPEM.utf8), context: "signing-key:\(key.kid)")
        try await run(
            """
            INSERT INTO signing_keys (kid, sealed_private_key, created_at, retired_at)
            VALUES (\(key.kid), \(sealed), \(key.createdAt.millis), \(key.retiredAt?.millis))
            """)
    }

    public func retireSigningKeys(except kid: String, at: Date) async throws {
        try await run("UPDATE signing_keys SET retired_at = \(at.millis) WHERE kid <> \(kid) AND retired_at IS NULL")
    }
}

extension PostgresStore: ServiceCallLog {
    public func record(_ call: ServiceCall) async throws {
        try await run(
            """
            INSERT INTO service_calls (at, consumer_app, consumer_unit, service, method, path, status, request_bytes, response_bytes,
                duration_ms, error_code)
            VALUES (\(call.at.millis), \(call.consumerApp), \(call.consumerUnit.rawValue), \(call.service.description), \(call.method), \(call.path),
                \(Int64(call.status)), \(call.requestBytes), \(call.responseBytes), \(Int64(call.duration * 1000)), \(call.errorCode))
            """)
    }

    public func calls(since date: Date, limit: Int) async throws -> [ServiceCall] {
        try await rows("SELECT * FROM service_calls WHERE at >= \(date.millis) ORDER BY seq LIMIT \(Int64(limit))").map { row in
            ServiceCall(
                at: try row.date("at"), consumerApp: try row.string("consumer_app"),
                consumerUnit: try stored(UnitCode(lenient: try row.string("consumer_unit")), "consumer unit"),
                service: try ServiceRef(parsing: try row.string("service")), method: try row.string("method"), path: try row.string("path"),
                status: try row.int("status"), requestBytes: try row.int64("request_bytes"), responseBytes: try row.int64("response_bytes"),
                duration: TimeInterval(try row.int64("duration_ms")) / 1000, errorCode: try row.optionalString("error_code"))
        }
    }
}
