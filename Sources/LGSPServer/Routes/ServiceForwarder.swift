import AsyncHTTPClient
import Foundation
import HTTPTypes
import LGSPAuth
import LGSPCore
import NIOCore
import NIOHTTP1

/// The forwarding part of a service call (Article 10), shared by the REST proxy
/// (`ServiceProxyRoutes`) and SOAP service calls (`SOAPServiceRoutes`): authorisation (session token,
/// grant), the outbound request with the headers that identify the consumer and the assertion the hub
/// signs, the provider's deadline, and the call log.
struct ServiceForwarder {
    let hub: Hub

    /// The service, if the caller may call it now.
    ///
    /// With a session token: it must be valid, for this service and issued to this app. Without one,
    /// `implicitSession` decides: false (REST) refuses with `auth.invalid_session`; true (SOAP clients
    /// that cannot ask for a session first) lets the hub act as if it had issued one to the caller,
    /// which it would do only with a grant. In every case the grant must hold now.
    func authorize(caller: Caller, ref: ServiceRef, session token: String?, implicitSession: Bool = false) async throws -> Service {
        let now = hub.clock.now()
        guard let service = try await hub.proxyCache.service(ref, now: now, load: { try await hub.store.service(ref) }) else {
            throw LGSPError(.unknownService, "there is no service \(ref)")
        }
        if let token {
            let claims = try await hub.proxyCache.session(token, now: now) { try await hub.sessions.verify(token) }
            guard claims.service == ref.description else {
                throw LGSPError(.sessionNotForService, "the session token is for service \(claims.service), not \(ref)")
            }
            guard claims.azp == caller.app.accessKey else {
                throw LGSPError(.invalidSession, "the session token was issued to another app")
            }
        } else if !implicitSession {
            throw LGSPError(.invalidSession, "a service call needs a session token in X-LGSP-Session (POST /v1/auth/sessions)")
        }
        let grants = try await hub.proxyCache.grants(appID: caller.app.id, now: now) { try await hub.store.grants(appID: caller.app.id) }
        guard grants.contains(where: { $0.allowsCalling(ref) }) else {
            throw LGSPError(.serviceNotGranted, token == nil
                ? "app \(caller.app.accessKey) is not granted service \(ref)" : "app \(caller.app.accessKey) is no longer granted service \(ref)")
        }
        return service
    }

    /// Sends `outbound` (URL, method, the consumer's headers and body already set) to the provider of
    /// `service`, adding the consumer identification headers, the signed assertion and the session
    /// token (if any); returns the answer and the request id. Provider failures become
    /// `service.provider_timeout` / `service.provider_unreachable`.
    func send(
        _ outbound: HTTPClientRequest, to service: Service, caller: Caller, consumerUnit: UnitCode, session token: String?
    ) async throws -> (response: HTTPClientResponse, requestID: String) {
        var outbound = outbound
        let requestID = CredentialGenerator.identifier()
        let now = hub.clock.now()
        let assertion = try await hub.sessions.sign(
            SessionClaims(
                issuer: hub.configuration.exchange.hubName, consumerUnit: consumerUnit, service: service.ref, consumerApp: caller.app.accessKey,
                scope: [], issuedAt: now, expiresAt: now.addingTimeInterval(60), id: requestID, type: "lgsp-call"))
        outbound.headers.add(name: "X-LGSP-Consumer-App", value: caller.app.accessKey)
        outbound.headers.add(name: "X-LGSP-Consumer-Unit", value: consumerUnit.rawValue)
        outbound.headers.add(name: "X-LGSP-Service", value: service.ref.description)
        outbound.headers.add(name: "X-LGSP-Request-Id", value: requestID)
        outbound.headers.add(name: "X-LGSP-Assertion", value: assertion)
        if let token { outbound.headers.add(name: "X-LGSP-Session", value: token) }
        do {
            let response = try await hub.providers.execute(outbound, deadline: .now() + .milliseconds(Int64(service.timeout * 1000)))
            return (response, requestID)
        } catch let error as HTTPClientError where error == .deadlineExceeded || error == .readTimeout || error == .connectTimeout {
            throw LGSPError(.providerTimeout, "service \(service.ref) did not answer within \(Int(service.timeout)) seconds")
        } catch {
            throw LGSPError(.providerUnreachable, "service \(service.ref) could not be reached at its registered address")
        }
    }

    /// Logs a call the hub refused or failed.
    func recordFailure(_ log: ServiceCall, _ error: LGSPError) async {
        var entry = log
        entry.status = error.code.httpStatusCode
        entry.errorCode = error.code.rawValue
        entry.duration = Date().timeIntervalSince(log.at)
        try? await hub.store.record(entry)
    }

    /// Logs a call answered with `status` and `responseBytes`.
    func recordAnswer(_ log: ServiceCall, status: Int, responseBytes: Int64) async {
        var entry = log
        entry.status = status
        entry.responseBytes = responseBytes
        entry.duration = Date().timeIntervalSince(log.at)
        try? await hub.store.record(entry)
    }
}
