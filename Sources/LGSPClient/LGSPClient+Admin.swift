import Foundation
import LGSPAPI
import LGSPCore

/// The admin API, for clients holding an administrator credential (`admin.json`).
extension LGSPClient {
    public func addUnit(code: String, name: String, parent: String? = nil) async throws -> UnitBody {
        try await json(.POST, "/v1/admin/units", body: AddUnitRequest(code: code, name: name, parent: parent))
    }

    public func units() async throws -> [UnitBody] {
        let response: UnitListResponse = try await json(.GET, "/v1/admin/units")
        return response.items
    }

    /// Registers an app; `auth` sets its signing policy (schemes, SHA-1, RSA public key, debug);
    /// `accepts` the content formats it accepts (empty: the content as sent).
    public func createApp(
        unit: String, name: String, receives: [String], auth: UpdateAuthPolicyRequest? = nil, accepts: [String] = []
    ) async throws -> CredentialResponse {
        try await json(
            .POST, "/v1/admin/apps",
            body: CreateAppRequest(
                unit: unit, name: name, receives: receives, schemes: auth?.schemes, allowSha1: auth?.allowSha1, rsaPublicKey: auth?.rsaPublicKey,
                debugSignatures: auth?.debugSignatures, accepts: accepts.isEmpty ? nil : accepts))
    }

    /// Sets the content formats an app accepts, in order of preference (empty: the content as sent).
    public func setAccepts(accessKey: String, formats: [String]) async throws -> AppBody {
        try await json(.POST, "/v1/admin/apps/\(accessKey)/accepts", body: AcceptsRequest(formats: formats))
    }

    /// Changes an app's signing policy; absent members stay as they are.
    public func setAuthPolicy(accessKey: String, _ update: UpdateAuthPolicyRequest) async throws -> AppBody {
        try await json(.POST, "/v1/admin/apps/\(accessKey)/auth", body: update)
    }

    /// Sets how long an app may stay offline with packets waiting (seconds; 0: never; nil: the hub's default).
    public func setOfflineLimit(accessKey: String, seconds: Int?) async throws -> AppBody {
        try await json(.POST, "/v1/admin/apps/\(accessKey)/offline-limit", body: OfflineLimitRequest(seconds: seconds))
    }

    /// An app's secret keys (metadata only).
    public func keys(accessKey: String) async throws -> [KeyBody] {
        let response: KeyListResponse = try await json(.GET, "/v1/admin/apps/\(accessKey)/keys")
        return response.items
    }

    /// Revokes one of an app's secret keys at once.
    public func revokeKey(accessKey: String, keyID: String) async throws -> KeyBody {
        try await json(.POST, "/v1/admin/apps/\(accessKey)/keys/\(keyID)/revoke")
    }

    /// Makes one of an app's secret keys stop working at `at`.
    public func expireKey(accessKey: String, keyID: String, at: Date) async throws -> KeyBody {
        try await json(.POST, "/v1/admin/apps/\(accessKey)/keys/\(keyID)/expire", body: ExpireKeyRequest(at: at))
    }

    public func apps(unit: String? = nil) async throws -> [AppBody] {
        let response: AppListResponse = try await json(.GET, "/v1/admin/apps", query: unit.map { [("unit", $0)] } ?? [])
        return response.items
    }

    public func rotateKey(accessKey: String, graceSeconds: Int? = nil) async throws -> CredentialResponse {
        try await json(.POST, "/v1/admin/apps/\(accessKey)/rotate-key", body: RotateKeyRequest(graceSeconds: graceSeconds))
    }

    public func setApp(accessKey: String, enabled: Bool) async throws -> AppBody {
        try await json(.POST, "/v1/admin/apps/\(accessKey)/\(enabled ? "enable" : "disable")")
    }

    public func addGrant(app: String, sendTo: String, dataType: String? = nil) async throws -> GrantBody {
        try await json(.POST, "/v1/admin/grants", body: AddGrantRequest(app: app, sendTo: sendTo, dataType: dataType))
    }

    /// Lets an app call a service (`<unit code>/<name>`) through the hub.
    public func addGrant(app: String, service: String) async throws -> GrantBody {
        try await json(.POST, "/v1/admin/grants", body: AddGrantRequest(app: app, service: service))
    }

    /// Registers a service of a unit.
    public func addService(
        unit: String, name: String, url: String, protocol: String? = nil, timeoutSeconds: Double? = nil, provider: String? = nil,
        requestMapping: String? = nil, responseMapping: String? = nil
    ) async throws -> ServiceBody {
        try await json(
            .POST, "/v1/admin/services",
            body: AddServiceRequest(
                unit: unit, name: name, url: url, protocol: `protocol`, timeoutSeconds: timeoutSeconds, provider: provider,
                requestMapping: requestMapping, responseMapping: responseMapping))
    }

    public func services(unit: String? = nil) async throws -> [ServiceBody] {
        let response: ServiceListResponse = try await json(.GET, "/v1/admin/services", query: unit.map { [("unit", $0)] } ?? [])
        return response.items
    }

    /// The log of calls made through the hub.
    public func serviceCalls(since: Date? = nil, limit: Int = 100) async throws -> [ServiceCall] {
        var query = [("limit", String(limit))]
        if let since { query.append(("since", APICoding.formatDate(since))) }
        let response: ServiceCallListResponse = try await json(.GET, "/v1/admin/service-calls", query: query)
        return response.items
    }

    /// Makes a new token-signing key current (older keys keep verifying the tokens they signed).
    public func rotateSigningKey() async throws -> String {
        let answer: [String: String] = try await json(.POST, "/v1/admin/auth/rotate-signing-key")
        return answer["kid"] ?? ""
    }

    public func grants(app: String? = nil) async throws -> [GrantBody] {
        let response: GrantListResponse = try await json(.GET, "/v1/admin/grants", query: app.map { [("app", $0)] } ?? [])
        return response.items
    }

    public func hubStatus() async throws -> HubStatusResponse {
        try await json(.GET, "/v1/admin/status")
    }
}
