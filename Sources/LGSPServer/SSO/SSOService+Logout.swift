import AsyncHTTPClient
import Foundation
import LGSPAuth
import LGSPCore
import NIOCore

extension SSOService {
    /// Ends an SSO session (once) and tells every client that took part in it and registered a
    /// back-channel logout URI (OIDC Back-Channel Logout 1.0). Returns the ended session, nil if unknown.
    ///
    /// The notifications are best effort: each POST may take `sso.backchannelTimeoutSeconds`; failures are
    /// logged and do not stop the logout.
    @discardableResult
    public func endSession(id: String) async throws -> SSOSession? {
        guard let before = try await accounts.ssoSession(id: id) else { return nil }
        guard before.endedAt == nil, let session = try await accounts.endSSOSession(id: id, at: clock.now()) else { return before }
        let official = try await accounts.official(id: session.officialID)
        record("sso.logout", login: official?.login, target: "session \(session.id)")
        await notifyClients(of: session)
        return session
    }

    private func notifyClients(of session: SSOSession) async {
        var targets: [(SSOClient, String)] = []
        for clientID in session.clientIDs {
            guard let client = try? await client(id: clientID), let uri = client.backchannelLogoutURI else { continue }
            targets.append((client, uri))
        }
        await withTaskGroup(of: Void.self) { group in
            for (client, uri) in targets {
                group.addTask { await self.sendLogoutToken(to: client, uri: uri, session: session) }
            }
        }
    }

    private func sendLogoutToken(to client: SSOClient, uri: String, session: SSOSession) async {
        do {
            let token = try await keys.sign(
                payload: LogoutTokenClaims(
                    issuer: issuer, clientID: client.id, subject: session.officialID, sessionID: session.id, issuedAt: clock.now(),
                    id: CredentialGenerator.identifier()))
            var request = HTTPClientRequest(url: uri)
            request.method = .POST
            request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
            request.body = .bytes(ByteBuffer(string: "logout_token=" + FormEncoding.encode(token)))
            let response = try await http.execute(request, timeout: .milliseconds(Int64(configuration.backchannelTimeout * 1000)))
            _ = try? await response.body.collect(upTo: 64 * 1024)
            if response.status.code != 200 && response.status.code != 204 {
                logger.warning("SSO back-channel logout to client \(client.id) answered \(response.status.code)")
            } else {
                logger.debug("SSO back-channel logout delivered to client \(client.id)")
            }
        } catch {
            logger.warning("SSO back-channel logout to client \(client.id) failed: \(error)")
        }
    }
}
