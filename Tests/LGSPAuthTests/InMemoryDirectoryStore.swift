import Foundation
import LGSPCore

/// A minimal in-memory `DirectoryStore` for unit tests of the authenticator's policy; the real stores are
/// tested in LGSPStorageTests against the conformance suite.
actor InMemoryDirectoryStore: DirectoryStore {
    private var unitsByCode: [UnitCode: LGSPCore.Unit] = [:]
    private var appList: [App] = []
    private var secretList: [AppSecret] = []
    private var grantList: [Grant] = []

    init(apps: [App] = [], secrets: [AppSecret] = []) {
        appList = apps
        secretList = secrets
    }

    func addUnit(_ unit: LGSPCore.Unit) throws {
        guard unitsByCode[unit.code] == nil else { throw LGSPError(.unitExists, "unit \(unit.code) exists") }
        unitsByCode[unit.code] = unit
    }

    func unit(_ code: UnitCode) -> LGSPCore.Unit? {
        guard var unit = unitsByCode[code] else { return nil }
        unit.formerCodes = unitsByCode.values.filter { $0.replacement?.successors.contains(code) == true }.map(\.code).sorted()
        return unit
    }

    func units() -> [LGSPCore.Unit] { unitsByCode.keys.sorted().compactMap(unit) }
    func units(matching query: UnitSearchQuery) -> [LGSPCore.Unit] { units().filter(query.matches) }

    func renameUnit(_ code: UnitCode, to name: String) throws {
        guard var unit = unitsByCode[code] else { throw LGSPError(.unknownUnit, "no unit \(code)") }
        guard unit.name != name else { return }
        unit.formerNames.append(unit.name)
        unit.name = name
        unitsByCode[code] = unit
    }

    func replaceUnit(_ code: UnitCode, with replacement: UnitReplacement) throws {
        guard var unit = unitsByCode[code] else { throw LGSPError(.unknownUnit, "no unit \(code)") }
        guard unit.status == .active else { throw LGSPError(.unitInactive, "unit \(code) is inactive") }
        for successor in replacement.successors {
            guard let next = unitsByCode[successor] else { throw LGSPError(.unknownUnit, "no unit \(successor)") }
            guard next.status == .active, successor != code else { throw LGSPError(.unitInactive, "unit \(successor) is inactive") }
        }
        unit.status = .inactive
        unit.replacement = replacement
        unitsByCode[code] = unit
    }

    func addApp(_ app: App, secret: AppSecret) {
        appList.append(app)
        secretList.append(secret)
    }

    func app(id: String) -> App? { appList.first { $0.id == id } }
    func app(accessKey: String) -> App? { appList.first { $0.accessKey == accessKey } }
    func apps(unit: UnitCode?) -> [App] { appList.filter { unit == nil || $0.unit == unit } }

    func setStatus(_ status: AppStatus, appID: String) throws {
        guard let index = appList.firstIndex(where: { $0.id == appID }) else {
            throw LGSPError(.unknownApp, "no app \(appID)")
        }
        appList[index].status = status
    }

    func secrets(appID: String) -> [AppSecret] {
        secretList.filter { $0.appID == appID }.sorted { $0.createdAt > $1.createdAt }
    }

    func addSecret(_ secret: AppSecret, retireOthersAt: Date?) {
        if let retireOthersAt {
            for index in secretList.indices
            where secretList[index].appID == secret.appID && secretList[index].expiresAt == nil {
                secretList[index].expiresAt = retireOthersAt
            }
        }
        secretList.append(secret)
    }

    func setAuthPolicy(_ policy: AuthPolicy, appID: String) throws {
        guard let index = appList.firstIndex(where: { $0.id == appID }) else { throw LGSPError(.unknownApp, "no app \(appID)") }
        appList[index].auth = policy
    }

    func setOfflineLimit(_ limit: TimeInterval?, appID: String) throws {
        guard let index = appList.firstIndex(where: { $0.id == appID }) else { throw LGSPError(.unknownApp, "no app \(appID)") }
        appList[index].offlineLimit = limit
    }

    func setAccepts(_ formats: [ContentFormat], appID: String) throws {
        guard let index = appList.firstIndex(where: { $0.id == appID }) else { throw LGSPError(.unknownApp, "no app \(appID)") }
        appList[index].accepts = formats
    }

    func updateSecret(id: String, appID: String, expiresAt: Date?, revokedAt: Date?) throws {
        guard let index = secretList.firstIndex(where: { $0.id == id && $0.appID == appID }) else {
            throw LGSPError(.unknownSecret, "no secret \(id)")
        }
        secretList[index].expiresAt = expiresAt
        secretList[index].revokedAt = revokedAt
    }

    private(set) var touched: [String] = []

    func touchSecret(id: String, at: Date) {
        touched.append(id)
        if let index = secretList.firstIndex(where: { $0.id == id }) { secretList[index].lastUsedAt = at }
    }

    private var serviceList: [Service] = []

    func addService(_ service: Service) throws {
        guard !serviceList.contains(where: { $0.ref == service.ref }) else { throw LGSPError(.serviceExists, "service \(service.ref) exists") }
        serviceList.append(service)
    }

    func service(_ ref: ServiceRef) -> Service? { serviceList.first { $0.ref == ref } }
    func services(unit: UnitCode?) -> [Service] { serviceList.filter { unit == nil || $0.ref.unit == unit } }

    func addGrant(_ grant: Grant) { grantList.append(grant) }
    func grants(appID: String?) -> [Grant] { grantList.filter { appID == nil || $0.appID == appID } }
}

/// Nonces in memory, for unit tests of the authenticator.
actor InMemoryNonceStore: NonceStore {
    private var seen: [String: Date] = [:]

    func remember(keyID: String, nonce: String, until: Date) -> Bool {
        let key = keyID + "\u{0}" + nonce
        if let expiry = seen[key], expiry > Date() { return false }
        seen[key] = until
        return true
    }

    func forget(before date: Date) { seen = seen.filter { $0.value >= date } }
}

/// A clock stopped at one instant.
struct FixedClock: HubClock {
    var instant: Date
    func now() -> Date { instant }
}
