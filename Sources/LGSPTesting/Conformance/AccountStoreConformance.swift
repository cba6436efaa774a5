import Foundation
import LGSPCore
import Testing

/// What an `AccountStore` check runs against: the store and, to check sealing at rest, every byte it
/// keeps (nil when the backend's bytes cannot be read, e.g. a remote database).
public struct AccountStoreFixture: Sendable {
    public let store: any AccountStore
    public let storedBytes: (@Sendable () async throws -> Data)?

    public init(store: any AccountStore, storedBytes: (@Sendable () async throws -> Data)? = nil) {
        self.store = store
        self.storedBytes = storedBytes
    }
}

/// The `AccountStore` contract, as checks every implementation must pass (SQLite and PostgreSQL).
public enum AccountStoreConformance {
    static func official(_ login: String, roles: [OfficialRole] = [.operator], unit: String? = nil, totp: String? = nil) -> Official {
        Official(
            id: CredentialGenerator.identifier(), login: login, displayName: "Nguyễn Văn \(login)", roles: roles,
            unit: unit.flatMap(UnitCode.init(lenient:)), passwordHash: "scrypt$ln=10,r=8,p=1$c2FsdA==$aGFzaA==", totpSecret: totp,
            createdAt: Fixtures.epoch)
    }

    static func client(_ id: String = "lgsp-app-" + CredentialGenerator.identifier().prefix(8)) -> SSOClient {
        SSOClient(
            id: id, secretHash: String(repeating: "ab", count: 32), name: "Một cửa điện tử", redirectURIs: ["https://motcua.example/cb"],
            postLogoutRedirectURIs: ["https://motcua.example/"], backchannelLogoutURI: "https://motcua.example/bcl", createdAt: Fixtures.epoch)
    }

    /// An official with a session and a code of `client`, stored.
    static func grant(_ store: any AccountStore, client: String = "c1") async throws -> (Official, SSOSession, AuthorizationCode) {
        let person = official("can-bo-\(CredentialGenerator.identifier().prefix(6))")
        try await store.addOfficial(person)
        let session = SSOSession(
            id: CredentialGenerator.identifier(), cookieHash: CredentialGenerator.identifier(), officialID: person.id, authTime: Fixtures.epoch,
            expiresAt: Fixtures.epoch.addingTimeInterval(3600))
        try await store.addSSOSession(session)
        let code = AuthorizationCode(
            id: CredentialGenerator.identifier(), clientID: client, redirectURI: "https://motcua.example/cb",
            codeChallenge: "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM", nonce: "n-0S6_WzA2Mj", officialID: person.id, sessionID: session.id,
            authTime: Fixtures.epoch, issuedAt: Fixtures.epoch, expiresAt: Fixtures.epoch.addingTimeInterval(60))
        try await store.addAuthorizationCode(code)
        return (person, session, code)
    }

    public static let checks: [ConformanceCheck<AccountStoreFixture>] = [
        .init("an official comes back by id and by login with every field; logins are unique") { fixture in
            let store = fixture.store
            var officer = official("le.thi.hoa", roles: [.unitOfficer], unit: "000.00.05.H24", totp: "JBSWY3DPEHPK3PXP")
            officer.lockedUntil = Fixtures.epoch.addingTimeInterval(5)
            officer.failedAttempts = 2
            try await store.addOfficial(officer)
            #expect(try await store.official(id: officer.id) == officer)
            #expect(try await store.official(login: "le.thi.hoa") == officer)
            #expect(try await store.official(login: "nobody") == nil)
            #expect(try await store.official(id: "nobody") == nil)
            await #expect(throws: LGSPError.self) { try await store.addOfficial(official("le.thi.hoa")) }
            do {
                try await store.addOfficial(official("le.thi.hoa"))
            } catch let error as LGSPError {
                #expect(error.code == .officialExists)
            }
            try await store.addOfficial(official("a.admin", roles: [.admin, .operator]))
            #expect(try await store.officials().map(\.login) == ["a.admin", "le.thi.hoa"])
        },
        .init("TOTP secrets are sealed at rest") { fixture in
            guard let bytes = fixture.storedBytes else { return }
            let secret = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
            try await fixture.store.addOfficial(official("totp.user", totp: secret))
            #expect(try await fixture.store.official(login: "totp.user")?.totpSecret == secret)
            #expect(try await bytes().range(of: Data(secret.utf8)) == nil)
        },
        .init("failures count up, lock at the limit and restart from zero; success resets; disable and password updates") { fixture in
            let store = fixture.store
            let person = official("dem.sai")
            try await store.addOfficial(person)
            let at = Fixtures.epoch
            var updated = try await store.recordLoginFailure(officialID: person.id, at: at, limit: 3, lockFor: 900)
            #expect(updated.failedAttempts == 1 && updated.lockedUntil == nil)
            updated = try await store.recordLoginFailure(officialID: person.id, at: at, limit: 3, lockFor: 900)
            #expect(updated.failedAttempts == 2 && updated.lockedUntil == nil)
            updated = try await store.recordLoginFailure(officialID: person.id, at: at, limit: 3, lockFor: 900)
            #expect(updated.failedAttempts == 0)
            #expect(updated.lockedUntil == at.addingTimeInterval(900))
            #expect(updated.isLocked(at: at.addingTimeInterval(899)) && !updated.isLocked(at: at.addingTimeInterval(900)))
            _ = try await store.recordLoginFailure(officialID: person.id, at: at, limit: 3, lockFor: 900)
            try await store.recordLoginSuccess(officialID: person.id, at: at.addingTimeInterval(1000))
            let reset = try #require(try await store.official(id: person.id))
            #expect(reset.failedAttempts == 0 && reset.lockedUntil == nil)
            #expect(try await store.setOfficialDisabled(id: person.id, disabled: true).disabled)
            #expect(try await store.setOfficialDisabled(id: person.id, disabled: false).disabled == false)
            try await store.setPasswordHash(officialID: person.id, hash: "scrypt$new")
            #expect(try await store.official(id: person.id)?.passwordHash == "scrypt$new")
            await #expect(throws: LGSPError(.unknownOfficial, "no official has the id 'ghost'")) {
                _ = try await store.setOfficialDisabled(id: "ghost", disabled: true)
            }
        },
        .init("concurrent failures all count") { fixture in
            let store = fixture.store
            let person = official("dong.thoi")
            try await store.addOfficial(person)
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<8 {
                    group.addTask { _ = try await store.recordLoginFailure(officialID: person.id, at: Fixtures.epoch, limit: 100, lockFor: 60) }
                }
                try await group.waitForAll()
            }
            #expect(try await store.official(id: person.id)?.failedAttempts == 8)
        },
        .init("clients come back with every field; ids are unique; disabling is kept") { fixture in
            let store = fixture.store
            let first = client("lgsp-app-b")
            var second = client("lgsp-app-a")
            second.name = "Hồ sơ công việc"
            second.backchannelLogoutURI = nil
            second.postLogoutRedirectURIs = []
            second.redirectURIs = ["https://hscv.example/cb", "http://127.0.0.1:9999/cb"]
            try await store.addSSOClient(first)
            try await store.addSSOClient(second)
            #expect(try await store.ssoClient(id: "lgsp-app-b") == first)
            #expect(try await store.ssoClient(id: "lgsp-app-a") == second)
            #expect(try await store.ssoClient(id: "nope") == nil)
            #expect(try await store.ssoClients().map(\.id) == ["lgsp-app-a", "lgsp-app-b"])
            do {
                try await store.addSSOClient(client("lgsp-app-b"))
                Issue.record("a duplicate client id was accepted")
            } catch let error as LGSPError {
                #expect(error.code == .ssoClientExists)
            }
            #expect(try await store.setSSOClientDisabled(id: "lgsp-app-a", disabled: true).disabled)
            #expect(try await store.ssoClient(id: "lgsp-app-a")?.disabled == true)
            do {
                _ = try await store.setSSOClientDisabled(id: "ghost", disabled: true)
                Issue.record("an unknown client was disabled")
            } catch let error as LGSPError {
                #expect(error.code == .unknownSSOClient)
            }
        },
        .init("a code is redeemed once; every later redemption is a replay that revokes it") { fixture in
            let store = fixture.store
            let (_, _, code) = try await grant(store)
            #expect(try await store.authorizationCode(id: code.id) == code)
            let later = Fixtures.epoch.addingTimeInterval(5)
            guard case .redeemed(let first) = try await store.redeemAuthorizationCode(id: code.id, at: later) else {
                Issue.record("the first redemption was not .redeemed")
                return
            }
            #expect(first.redeemedAt == later && first.revokedAt == nil && first.nonce == code.nonce)
            guard case .replayed(let second) = try await store.redeemAuthorizationCode(id: code.id, at: later.addingTimeInterval(1)) else {
                Issue.record("the second redemption was not .replayed")
                return
            }
            #expect(second.revokedAt == later.addingTimeInterval(1))
            #expect(try await store.authorizationCode(id: code.id)?.revokedAt == later.addingTimeInterval(1))
            #expect(try await store.redeemAuthorizationCode(id: "unknown", at: later) == .unknown)
        },
        .init("of concurrent redemptions of one code exactly one succeeds") { fixture in
            let store = fixture.store
            let (_, _, code) = try await grant(store)
            let outcomes = try await withThrowingTaskGroup(of: CodeRedemption.self) { group in
                for index in 0..<6 {
                    group.addTask { try await store.redeemAuthorizationCode(id: code.id, at: Fixtures.epoch.addingTimeInterval(Double(index))) }
                }
                return try await group.reduce(into: [CodeRedemption]()) { $0.append($1) }
            }
            #expect(outcomes.filter { if case .redeemed = $0 { true } else { false } }.count == 1)
            #expect(outcomes.filter { if case .replayed = $0 { true } else { false } }.count == 5)
        },
        .init("sessions come back by id and cookie hash, record their clients once in order, and end once") { fixture in
            let store = fixture.store
            let (_, session, _) = try await grant(store)
            #expect(try await store.ssoSession(id: session.id) == session)
            #expect(try await store.ssoSession(cookieHash: session.cookieHash) == session)
            #expect(try await store.ssoSession(cookieHash: "other") == nil)
            try await store.addSessionClient(sessionID: session.id, clientID: "lgsp-app-2")
            try await store.addSessionClient(sessionID: session.id, clientID: "lgsp-console")
            try await store.addSessionClient(sessionID: session.id, clientID: "lgsp-app-2")
            #expect(try await store.ssoSession(id: session.id)?.clientIDs == ["lgsp-app-2", "lgsp-console"])
            let end = Fixtures.epoch.addingTimeInterval(30)
            let ended = try await store.endSSOSession(id: session.id, at: end)
            #expect(ended?.endedAt == end && ended?.clientIDs == ["lgsp-app-2", "lgsp-console"])
            #expect(ended?.isActive(at: end) == false)
            #expect(try await store.endSSOSession(id: session.id, at: end.addingTimeInterval(60))?.endedAt == end)
            #expect(try await store.endSSOSession(id: "ghost", at: end) == nil)
        },
    ]
}
