import Foundation
import Hummingbird
import LGSPAPI
import LGSPAuth
import LGSPCore

/// The admin API (`/v1/admin`): the directory, keys and grants, and the hub's status. Every call
/// needs an administrator credential; the CLI uses it, so one node or many behave the same.
struct AdminRoutes {
    let hub: Hub

    func register(on router: HubRouter) {
        let admin = AdminPaths(router: router)
        admin.post("units") { request, _ in
            let (caller, body) = try await hub.authenticatedJSON(AddUnitRequest.self, request)
            let unit = try await hub.directory.addUnit(code: body.code, name: body.name, parent: body.parent, by: caller)
            return try JSONBody.response(UnitBody(unit), status: .created)
        }
        admin.get("units") { request, _ in
            let caller = try await hub.authenticated(request)
            return try JSONBody.response(UnitListResponse(items: try await hub.directory.units(by: caller).map(UnitBody.init)))
        }
        admin.post("apps") { request, _ in
            let (caller, body) = try await hub.authenticatedJSON(CreateAppRequest.self, request)
            let receives = try DataTypeSet(body.receives ?? [])
            let accepts = try ContentFormat.list(body.accepts ?? [])
            var policy = AuthPolicy.standard
            try Self.apply(UpdateAuthPolicyRequest(schemes: body.schemes, allowSha1: body.allowSha1, rsaPublicKey: body.rsaPublicKey, debugSignatures: body.debugSignatures), to: &policy)
            let created = try await hub.directory.createApp(
                unit: body.unit, name: body.name, receives: receives, accepts: accepts, auth: policy, by: caller)
            return try JSONBody.response(Self.credential(created), status: .created)
        }
        admin.post("apps/{accessKey}/auth") { request, context in
            let (caller, body) = try await hub.authenticatedJSON(UpdateAuthPolicyRequest.self, request)
            let app = try await hub.directory.setAuthPolicy(accessKey: context.parameters.get("accessKey") ?? "", by: caller) { policy throws(LGSPError) in
                try Self.apply(body, to: &policy)
            }
            hub.authenticator.cache.invalidate(app.accessKey)
            return try JSONBody.response(AppBody(app))
        }
        admin.post("apps/{accessKey}/offline-limit") { request, context in
            let (caller, body) = try await hub.authenticatedJSON(OfflineLimitRequest.self, request)
            let app = try await hub.directory.setOfflineLimit(
                body.seconds.map { TimeInterval($0) }, accessKey: context.parameters.get("accessKey") ?? "", by: caller)
            return try JSONBody.response(AppBody(app))
        }
        admin.post("apps/{accessKey}/accepts") { request, context in
            let (caller, body) = try await hub.authenticatedJSON(AcceptsRequest.self, request)
            let app = try await hub.directory.setAccepts(
                try ContentFormat.list(body.formats, field: "formats"), accessKey: context.parameters.get("accessKey") ?? "", by: caller)
            return try JSONBody.response(AppBody(app))
        }
        admin.get("apps/{accessKey}/keys") { request, context in
            let caller = try await hub.authenticated(request)
            let keys = try await hub.directory.keys(accessKey: context.parameters.get("accessKey") ?? "", by: caller)
            let now = hub.clock.now()
            return try JSONBody.response(KeyListResponse(items: keys.map { KeyBody($0, now: now) }))
        }
        admin.post("apps/{accessKey}/keys/{keyId}/revoke") { request, context in
            let caller = try await hub.authenticated(request)
            let accessKey = context.parameters.get("accessKey") ?? ""
            let key = try await hub.directory.retireKey(
                accessKey: accessKey, keyID: context.parameters.get("keyId") ?? "", revoke: true, expiresAt: nil, by: caller)
            hub.authenticator.cache.invalidate(accessKey)
            return try JSONBody.response(KeyBody(key, now: hub.clock.now()))
        }
        admin.post("apps/{accessKey}/keys/{keyId}/expire") { request, context in
            let (caller, body) = try await hub.authenticatedJSON(ExpireKeyRequest.self, request)
            let accessKey = context.parameters.get("accessKey") ?? ""
            let key = try await hub.directory.retireKey(
                accessKey: accessKey, keyID: context.parameters.get("keyId") ?? "", revoke: false, expiresAt: body.at, by: caller)
            hub.authenticator.cache.invalidate(accessKey)
            return try JSONBody.response(KeyBody(key, now: hub.clock.now()))
        }
        admin.get("apps") { request, _ in
            let caller = try await hub.authenticated(request)
            var unit: UnitCode?
            if let text = request.uri.queryParameters["unit"] {
                guard let code = UnitCode(lenient: String(text)) else {
                    throw LGSPError(.invalidQuery, "unit '\(text)' is not a unit code", field: "unit")
                }
                unit = code
            }
            return try JSONBody.response(AppListResponse(items: try await hub.directory.apps(unit: unit, by: caller).map(AppBody.init)))
        }
        admin.post("apps/{accessKey}/rotate-key") { request, context in
            let (caller, body) = try await hub.authenticatedJSON(RotateKeyRequest.self, request, allowEmpty: true)
            let rotated = try await hub.directory.rotateKey(
                accessKey: context.parameters.get("accessKey") ?? "", grace: TimeInterval(body.graceSeconds ?? 86400), by: caller)
            hub.authenticator.cache.invalidate(rotated.app.accessKey)
            return try JSONBody.response(Self.credential(rotated))
        }
        admin.post("apps/{accessKey}/disable") { request, context in
            let caller = try await hub.authenticated(request)
            let app = try await hub.directory.setStatus(.disabled, accessKey: context.parameters.get("accessKey") ?? "", by: caller)
            hub.authenticator.cache.invalidate(app.accessKey)
            return try JSONBody.response(AppBody(app))
        }
        admin.post("apps/{accessKey}/enable") { request, context in
            let caller = try await hub.authenticated(request)
            let app = try await hub.directory.setStatus(.active, accessKey: context.parameters.get("accessKey") ?? "", by: caller)
            hub.authenticator.cache.invalidate(app.accessKey)
            return try JSONBody.response(AppBody(app))
        }
        admin.post("grants") { request, _ in
            let (caller, body) = try await hub.authenticatedJSON(AddGrantRequest.self, request)
            let grant: Grant
            switch (body.sendTo, body.service) {
            case (let sendTo?, nil):
                grant = try await hub.directory.addGrant(accessKey: body.app, sendTo: sendTo, dataType: body.dataType, by: caller)
            case (nil, let service?):
                grant = try await hub.directory.addServiceGrant(accessKey: body.app, service: service, by: caller)
            default:
                throw LGSPError(.invalidField, "a grant names either sendTo (with an optional dataType) or service, not both", field: "sendTo")
            }
            hub.proxyCache.clear()
            return try JSONBody.response(GrantBody(grant, app: body.app), status: .created)
        }
        admin.get("grants") { request, _ in
            let caller = try await hub.authenticated(request)
            let filter = request.uri.queryParameters["app"].map(String.init)
            let grants = try await hub.directory.grants(accessKey: filter, by: caller)
            var keys: [String: String] = [:]
            for app in try await hub.store.apps(unit: nil) { keys[app.id] = app.accessKey }
            return try JSONBody.response(GrantListResponse(items: grants.map { GrantBody($0, app: keys[$0.appID] ?? $0.appID) }))
        }
        admin.post("services") { request, _ in
            let (caller, body) = try await hub.authenticatedJSON(AddServiceRequest.self, request)
            guard let serviceProtocol = ServiceProtocol(rawValue: body.protocol ?? "rest") else {
                throw LGSPError(.invalidField, "protocol must be rest or soap", field: "protocol")
            }
            let service = try await hub.directory.addService(
                unit: body.unit, name: body.name, baseURL: body.url, serviceProtocol: serviceProtocol, timeout: body.timeoutSeconds ?? 30,
                providerAccessKey: body.provider, requestMapping: body.requestMapping, responseMapping: body.responseMapping,
                mappingExists: { [mappings = hub.mappings] in mappings.current.mappings[$0] != nil }, by: caller)
            hub.proxyCache.clear()
            return try JSONBody.response(ServiceBody(service), status: .created)
        }
        admin.get("services") { request, _ in
            let caller = try await hub.authenticated(request)
            var unit: UnitCode?
            if let text = request.uri.queryParameters["unit"] {
                guard let code = UnitCode(lenient: String(text)) else {
                    throw LGSPError(.invalidQuery, "unit '\(text)' is not a unit code", field: "unit")
                }
                unit = code
            }
            return try JSONBody.response(ServiceListResponse(items: try await hub.directory.services(unit: unit, by: caller).map(ServiceBody.init)))
        }
        admin.get("service-calls") { request, _ in
            let caller = try await hub.authenticated(request)
            try caller.requireAdmin(for: "reading the service call log")
            let since = try request.uri.queryParameters["since"].map { try PacketRoutes.dateQuery($0, name: "since") } ?? .distantPast
            let limit = try PacketRoutes.intQuery(request.uri.queryParameters["limit"], name: "limit", default: 100, range: 1...1000)
            return try JSONBody.response(ServiceCallListResponse(items: try await hub.store.calls(since: since, limit: limit)))
        }
        admin.post("auth/rotate-signing-key") { request, _ in
            let caller = try await hub.authenticated(request)
            try caller.requireAdmin(for: "rotating the token-signing key")
            let kid = try await hub.sessions.rotate()
            return try JSONBody.response(["kid": kid])
        }
        admin.get("status") { request, _ in
            let caller = try await hub.authenticated(request)
            try caller.requireAdmin(for: "reading the hub status")
            let memory = ProcessMemory.read()
            return try JSONBody.response(
                HubStatusResponse(
                    hubName: hub.configuration.exchange.hubName, version: LGSPVersion.current, startedAt: hub.startedAt,
                    uptimeSeconds: hub.clock.now().timeIntervalSince(hub.startedAt), residentBytes: memory.resident,
                    peakResidentBytes: memory.peak))
        }
    }

    /// Registers paths below `/v1/admin`.
    struct AdminPaths {
        let router: HubRouter
        func get(_ path: String, _ handler: @escaping HubRouter.Handler) { router.get("/v1/admin/" + path, handler) }
        func post(_ path: String, _ handler: @escaping HubRouter.Handler) { router.post("/v1/admin/" + path, handler) }
    }

    /// Applies the members present in `update` to a signing policy, validating schemes and the RSA key.
    static func apply(_ update: UpdateAuthPolicyRequest, to policy: inout AuthPolicy) throws(LGSPError) {
        if let names = update.schemes {
            var schemes = Set<AuthScheme>()
            for name in names {
                guard let scheme = AuthScheme(rawValue: name) else {
                    throw LGSPError(.invalidField, "unknown signature scheme '\(name)'; use \(AuthScheme.allCases.map(\.rawValue).joined(separator: ", "))", field: "schemes")
                }
                schemes.insert(scheme)
            }
            guard !schemes.isEmpty else {
                throw LGSPError(.invalidField, "an app needs at least one signature scheme", field: "schemes")
            }
            policy.schemes = schemes
        }
        if let allow = update.allowSha1 { policy.allowSHA1 = allow }
        if let debug = update.debugSignatures { policy.debugSignatures = debug }
        if let pem = update.rsaPublicKey {
            policy.rsaPublicKeyPEM = pem.isEmpty ? nil : try RSAPublicKey.validated(pem)
        }
    }

    static func credential(_ credential: DirectoryService.NewCredential) -> CredentialResponse {
        CredentialResponse(
            app: AppBody(credential.app), accessKey: credential.app.accessKey, secretKey: credential.secretKey,
            previousSecretExpiresAt: credential.previousSecretExpiresAt)
    }
}

/// The software version reported by the hub and the CLI.
public enum LGSPVersion {
    public static let current = "0.1.0"
}

/// Resident memory of this process, from `/proc/self/status` (Linux); nil elsewhere.
enum ProcessMemory {
    static func read() -> (resident: Int64?, peak: Int64?) {
        guard let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return (nil, nil) }
        func kilobytes(_ name: String) -> Int64? {
            guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix(name + ":") }) else { return nil }
            return line.split(separator: " ").compactMap { Int64($0) }.first.map { $0 * 1024 }
        }
        return (kilobytes("VmRSS"), kilobytes("VmHWM"))
    }
}
