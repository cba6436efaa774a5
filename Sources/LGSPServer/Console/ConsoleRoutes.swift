import Foundation
import HTTPTypes
import Hummingbird
import LGSPAuth
import LGSPCore
import NIOCore

/// The web console (`/console/…`, issue #9): server-rendered pages in Vietnamese (English on request)
/// for administrators, operators and unit officers, who sign in through the hub's own SSO.
///
/// Every page needs a console session (`lgsp_console`: sealed, HttpOnly, SameSite=Lax, Secure under
/// TLS, expiring) and is authorised on each request (`ConsoleRequest.require…`); a refusal is a 403
/// page, recorded in the audit log like every change made here. Every POST carries the session's
/// CSRF token. Pages read through the hub's use cases and stores, never around them, and never show
/// packet content.
struct ConsoleRoutes: Sendable {
    let hub: Hub
    /// The peer links (NGSP, neighbouring hubs), nil when the hub has no federation file.
    let federation: Federation?
    let renderer: ConsoleRenderer
    let seal: ConsoleSeal

    static let sessionCookie = "lgsp_console"
    static let loginCookie = "lgsp_console_login"
    static let languageCookie = "lang"
    static let maxFormBytes = 64 * 1024
    /// How long a sign-in attempt may take between `/console/` and `/console/callback`.
    static let loginLifetime: TimeInterval = 600

    init(hub: Hub, federation: Federation?) throws {
        self.hub = hub
        self.federation = federation
        renderer = try ConsoleRenderer()
        seal = ConsoleSeal(key: hub.exchange.masterKey)
    }

    func register(on router: HubRouter) {
        registerLogin(on: router)
        registerDashboard(on: router)
        registerUnits(on: router)
        registerApps(on: router)
        registerDirectory(on: router)
        registerPackets(on: router)
        registerConnections(on: router)
        registerReports(on: router)
        registerAudit(on: router)
        registerOperations(on: router)
    }

    typealias Handler = @Sendable (ConsoleRequest) async throws -> Response

    /// A page for signed-in officials; without a session the browser is sent to sign in first.
    func get(_ router: HubRouter, _ path: String, _ handler: @escaping Handler) {
        router.get(path) { request, context in try await serve(request, context, post: false, handler) }
    }

    /// A form action for signed-in officials, refused without the session's CSRF token.
    func post(_ router: HubRouter, _ path: String, _ handler: @escaping Handler) {
        router.post(path) { request, context in try await serve(request, context, post: true, handler) }
    }

    private func serve(_ request: Request, _ context: HubRequestContext, post: Bool, _ handler: Handler) async throws -> Response {
        let language = Self.language(request)
        guard let session = try await currentSession(request) else {
            // A form posted after the session ended cannot be replayed after sign-in: start from the dashboard.
            return startLogin(back: post ? "/console/" : request.uri.query.map { "\(request.uri.path)?\($0)" } ?? request.uri.path)
        }
        var parameters: [String: String] = [:]
        for (name, value) in context.parameters { parameters[String(name)] = String(value) }
        var console = ConsoleRequest(request: request, session: session, language: language, parameters: parameters)
        do {
            if post {
                console.form = try await Self.form(request)
                guard let token = console.form["_csrf"], ConstantTime.equal(token, session.csrf) else {
                    record("console.csrf_refused", session: session, target: "POST \(request.uri.path)", outcome: ErrorCode.forbidden.rawValue)
                    return await errorPage(LGSPError(.forbidden, renderer.catalogue.text("error_csrf", language)), console)
                }
            }
            return try await handler(console)
        } catch let error as LGSPError {
            if error.code.kind == .forbidden {
                record("console.forbidden", session: session, target: "\(request.method.rawValue) \(request.uri.path)", outcome: error.code.rawValue)
            }
            return await errorPage(error, console)
        }
    }

    /// The session of a request: a cookie that opens, has not expired, and whose SSO session is still on.
    func currentSession(_ request: Request) async throws -> ConsoleSession? {
        guard let session = seal.open(ConsoleSession.self, request.cookies[Self.sessionCookie]?.value, context: "session"),
            session.expiresAt > hub.clock.now()
        else { return nil }
        guard let sso = try await hub.sso.accounts.ssoSession(id: session.ssoSessionID), sso.endedAt == nil else { return nil }
        return session
    }

    static func language(_ request: Request) -> ConsoleLanguage {
        ConsoleLanguage(cookie: request.cookies[languageCookie]?.value)
    }

    /// A form body's fields (the first of a repeated name wins).
    static func form(_ request: Request) async throws -> [String: String] {
        let contentType = request.headers[.contentType]?.lowercased() ?? ""
        guard contentType.hasPrefix("application/x-www-form-urlencoded") else {
            throw LGSPError(.invalidField, "a console form is sent as application/x-www-form-urlencoded", field: "content-type")
        }
        let body = try await request.body.collect(upTo: maxFormBytes)
        var fields: [String: String] = [:]
        for (name, value) in FormEncoding.pairs(String(buffer: body)) where fields[name] == nil { fields[name] = value }
        return fields
    }

    /// Records what an official did (or was refused) in the audit log.
    func record(_ action: String, session: ConsoleSession?, target: String, outcome: String = "ok") {
        let scope = AuditScope.current
        hub.audit.record(
            AuditRecord(
                at: hub.clock.now(), actor: session?.actor ?? scope?.actor ?? "anonymous", action: action, target: String(target.prefix(512)),
                outcome: outcome, source: scope?.source ?? "", requestID: scope?.requestID ?? ""))
    }

    /// The administrator caller the console acts as once it has authorised the official itself.
    func caller() async throws -> Caller { try await hub.adminCaller() }

    static func redirect(_ location: String) -> Response {
        Response(status: .seeOther, headers: [.location: location, .cacheControl: "no-store"])
    }

    /// `/console…` paths only: where the language switch and the sign-in may send the browser back to.
    static func localPath(_ text: String?) -> String? {
        guard let text, text.hasPrefix("/console"), !text.hasPrefix("//"), !text.contains("\\"), text.count <= 2048,
            !text.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F })
        else { return nil }
        return text
    }
}
