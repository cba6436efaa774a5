import Foundation
import Hummingbird
import LGSPCore

/// Grants, services and the SSO's registered client apps (administrators and operators; a unit
/// officer sees their own unit's services). Administrators register SSO clients here too (Article 11):
/// the secret is shown once, with the URLs the app configures.
extension ConsoleRoutes {
    func registerDirectory(on router: HubRouter) {
        get(router, "/console/grants") { console in try await grants(console) }
        get(router, "/console/services") { console in try await services(console) }
        get(router, "/console/sso-clients") { console in try await ssoClients(console, values: [:], errors: [], status: .ok) }
        post(router, "/console/sso-clients") { console in try await addSSOClient(console) }
    }

    private func grants(_ console: ConsoleRequest) async throws -> Response {
        try console.requireReadsEverything("the grants")
        let grants = try await hub.directory.grants(accessKey: nil, by: try await caller())
        let apps = Dictionary(try await hub.store.apps(unit: nil).map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        let text = renderer.catalogue
        let rows: [[String: Any]] = grants.map { grant in
            let app = apps[grant.appID]
            var row: [String: Any] = [
                "app": app?.name ?? grant.appID, "accessKey": app?.accessKey ?? "", "unit": app?.unit?.rawValue ?? "",
                "createdAt": ConsoleFormat.time(grant.createdAt),
            ]
            switch grant.target {
            case .send(let pattern, let dataType):
                row["kind"] = text.text("grant_send", console.language)
                row["target"] = pattern.description + (dataType.map { " (\($0.description))" } ?? "")
            case .service(let service):
                row["kind"] = text.text("grant_service", console.language)
                row["target"] = service.description
            }
            return row
        }
        return await page("grants", title: text.text("nav_grants", console.language), data: ["grants": rows], console)
    }

    private func services(_ console: ConsoleRequest) async throws -> Response {
        let unit = try console.scopedUnit(nil)
        let services = try await hub.directory.services(unit: unit, by: try await caller())
        let apps = Dictionary(try await hub.store.apps(unit: nil).map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        return await page(
            "services", title: renderer.catalogue.text("nav_services", console.language),
            data: [
                "services": services.map {
                    [
                        "ref": $0.ref.description, "unit": $0.ref.unit.rawValue, "url": $0.baseURL, "protocol": $0.serviceProtocol.rawValue,
                        "timeout": "\(Int($0.timeout)) s", "provider": $0.providerAppID.flatMap { apps[$0]?.accessKey } ?? "—",
                        "createdAt": ConsoleFormat.time($0.createdAt),
                    ]
                }
            ], console)
    }

    private func ssoClients(
        _ console: ConsoleRequest, values: [String: String], errors: [String], status: HTTPResponse.Status, created: [String: Any]? = nil
    ) async throws -> Response {
        try console.requireReadsEverything("the SSO clients")
        let clients = try await hub.sso.clients()
        return await page(
            "sso-clients", title: renderer.catalogue.text("nav_sso_clients", console.language),
            data: [
                "clients": clients.map {
                    [
                        "id": $0.id, "name": $0.name, "redirectURIs": $0.redirectURIs.joined(separator: " "),
                        "logoutURIs": $0.postLogoutRedirectURIs.joined(separator: " "), "backchannel": $0.backchannelLogoutURI ?? "—",
                        "disabled": $0.disabled, "createdAt": ConsoleFormat.time($0.createdAt),
                    ]
                },
                "canEdit": console.session.isAdmin, "values": values, "errors": errors, "created": created ?? false,
                "discovery": hub.sso.endpoints.discovery, "issuer": hub.sso.issuer,
            ], console, status: status)
    }

    private func addSSOClient(_ console: ConsoleRequest) async throws -> Response {
        try console.requireAdmin("registering an SSO client")
        let text = renderer.catalogue
        let language = console.language
        let values = [
            "name": console.field("name") ?? "", "redirectUri": console.field("redirectUri") ?? "", "logoutUri": console.field("logoutUri") ?? "",
            "backchannelUri": console.field("backchannelUri") ?? "",
        ]
        var errors: [String] = []
        if console.field("name") == nil { errors.append(text.text("form_name_required", language)) }
        if console.field("redirectUri") == nil { errors.append(text.text("form_redirect_required", language)) }
        guard errors.isEmpty else { return try await ssoClients(console, values: values, errors: errors, status: .unprocessableContent) }
        do {
            let created = try await hub.sso.addClient(
                name: values["name"]!, redirectURIs: values["redirectUri"]!.split(separator: " ").map(String.init),
                postLogoutRedirectURIs: values["logoutUri"]!.split(separator: " ").map(String.init), backchannelLogoutURI: console.field("backchannelUri"))
            record("console.sso.clients.create", session: console.session, target: "client \(created.client.id) {name=\(created.client.name.prefix(200))}")
            return try await ssoClients(console, values: [:], errors: [], status: .created, created: ["id": created.client.id, "secret": created.secret])
        } catch let error as LGSPError where error.code.kind != .internalFailure {
            record("console.sso.clients.create", session: console.session, target: "client {name=\(values["name"]!.prefix(200))}", outcome: error.code.rawValue)
            return try await ssoClients(console, values: values, errors: [error.message], status: .unprocessableContent)
        }
    }
}
