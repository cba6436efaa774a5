import Foundation
import Hummingbird
import LGSPAPI
import LGSPCore

/// The SSO's admin API, signed with an administrator credential like every `/v1/admin` route and audited
/// by `AuditMiddleware`: officials (`/v1/admin/officials`) and registered client apps (`/v1/admin/sso/clients`).
struct SSOAdminRoutes {
    let hub: Hub
    var sso: SSOService { hub.sso }

    func register(on router: HubRouter) {
        let admin = AdminRoutes.AdminPaths(router: router)
        admin.post("officials") { request, _ in
            let (caller, body) = try await hub.authenticatedJSON(CreateOfficialRequest.self, request)
            try caller.requireAdmin(for: "registering an official")
            let roles = try body.roles.enumerated().map { index, name throws(LGSPError) in try OfficialRole.parse(name, field: "roles[\(index)]") }
            var unit: UnitCode?
            if let text = body.unit {
                guard let code = UnitCode(lenient: text) else {
                    throw LGSPError(.invalidUnitCode, "unit '\(text)' is not a unit code (QCVN 102:2016)", field: "unit")
                }
                guard try await hub.store.unit(code) != nil else {
                    throw LGSPError(.unknownUnit, "unit \(code) is not in the directory", field: "unit")
                }
                unit = code
            }
            let created = try await sso.addOfficial(
                login: body.login, name: body.name, roles: roles, unit: unit, password: body.password, totp: body.totp ?? false)
            let uri = created.totpSecret.map { secret in
                "otpauth://totp/LGSP:\(created.official.login)?secret=\(secret)&issuer=LGSP&algorithm=SHA1&digits=6&period=30"
            }
            return try JSONBody.response(
                CreatedOfficialResponse(
                    official: OfficialBody(created.official, now: hub.clock.now()), totpSecret: created.totpSecret, totpURI: uri),
                status: .created)
        }
        admin.get("officials") { request, _ in
            let caller = try await hub.authenticated(request)
            try caller.requireAdmin(for: "listing officials")
            let now = hub.clock.now()
            return try JSONBody.response(OfficialListResponse(items: try await sso.officials().map { OfficialBody($0, now: now) }))
        }
        admin.post("officials/{login}/disable") { request, context in
            let caller = try await hub.authenticated(request)
            try caller.requireAdmin(for: "disabling an official")
            let official = try await sso.setDisabled(true, login: context.parameters.get("login") ?? "")
            return try JSONBody.response(OfficialBody(official, now: hub.clock.now()))
        }
        admin.post("officials/{login}/enable") { request, context in
            let caller = try await hub.authenticated(request)
            try caller.requireAdmin(for: "enabling an official")
            let official = try await sso.setDisabled(false, login: context.parameters.get("login") ?? "")
            return try JSONBody.response(OfficialBody(official, now: hub.clock.now()))
        }
        admin.post("sso/clients") { request, _ in
            let (caller, body) = try await hub.authenticatedJSON(CreateSSOClientRequest.self, request)
            try caller.requireAdmin(for: "registering an SSO client")
            let created = try await sso.addClient(
                name: body.name, redirectURIs: body.redirectUris, postLogoutRedirectURIs: body.postLogoutRedirectUris ?? [],
                backchannelLogoutURI: body.backchannelLogoutUri)
            return try JSONBody.response(
                CreatedSSOClientResponse(client: SSOClientBody(created.client), clientSecret: created.secret, endpoints: Self.endpoints(sso)),
                status: .created)
        }
        admin.get("sso/clients") { request, _ in
            let caller = try await hub.authenticated(request)
            try caller.requireAdmin(for: "listing SSO clients")
            return try JSONBody.response(SSOClientListResponse(items: try await sso.clients().map(SSOClientBody.init), endpoints: Self.endpoints(sso)))
        }
        admin.post("sso/clients/{clientId}/disable") { request, context in
            let caller = try await hub.authenticated(request)
            try caller.requireAdmin(for: "disabling an SSO client")
            return try JSONBody.response(SSOClientBody(try await sso.setClientDisabled(true, id: context.parameters.get("clientId") ?? "")))
        }
        admin.post("sso/clients/{clientId}/enable") { request, context in
            let caller = try await hub.authenticated(request)
            try caller.requireAdmin(for: "enabling an SSO client")
            return try JSONBody.response(SSOClientBody(try await sso.setClientDisabled(false, id: context.parameters.get("clientId") ?? "")))
        }
    }

    static func endpoints(_ sso: SSOService) -> SSOEndpointsBody {
        let urls = sso.endpoints
        return SSOEndpointsBody(
            issuer: urls.issuer, discovery: urls.discovery, authorization: urls.authorization, token: urls.token, userinfo: urls.userinfo,
            jwks: urls.jwks, endSession: urls.endSession)
    }
}
