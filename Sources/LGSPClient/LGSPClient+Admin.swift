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

    public func createApp(unit: String, name: String, receives: [String]) async throws -> CredentialResponse {
        try await json(.POST, "/v1/admin/apps", body: CreateAppRequest(unit: unit, name: name, receives: receives))
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

    public func grants(app: String? = nil) async throws -> [GrantBody] {
        let response: GrantListResponse = try await json(.GET, "/v1/admin/grants", query: app.map { [("app", $0)] } ?? [])
        return response.items
    }

    public func hubStatus() async throws -> HubStatusResponse {
        try await json(.GET, "/v1/admin/status")
    }
}
