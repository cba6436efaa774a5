import Foundation

/// Persistence of the directory: units, apps with their secrets, and grants.
///
/// Contract (checked by `DirectoryStoreConformance` in LGSPTesting for every implementation):
/// - Writes are atomic and durable once the method returns.
/// - `addUnit` throws `directory.unit_exists` for a code already registered.
/// - Units are read with their reorganisation history: `formerNames`, `replacement`, `formerCodes`.
/// - Search finds names case- and diacritic-insensitively, abbreviations expanded
///   (`VietnameseText.searchWords`), whatever the store keeps to do it.
/// - `addApp` stores the app and its first secret together; access keys are unique.
/// - Secrets are returned in plaintext to the caller but kept sealed at rest (never in clear on disk).
/// - Reads of missing rows return nil or an empty list; they do not throw.
/// - Other failures throw (the server reports them as `server.storage_failure`).
public protocol DirectoryStore: Sendable {
    func addUnit(_ unit: Unit) async throws
    func unit(_ code: UnitCode) async throws -> Unit?
    /// Every unit, ordered by code.
    func units() async throws -> [Unit]
    /// Every unit the query matches (`query.matches(unit)`: code, former code, current or former
    /// name), in any order; `UnitSearch` ranks them. Units come with their former names and codes.
    func units(matching query: UnitSearchQuery) async throws -> [Unit]
    /// Gives a unit a new name, keeping the current one among its former names (a name equal to
    /// the current one changes nothing). Throws `directory.unknown_unit`.
    func renameUnit(_ code: UnitCode, to name: String) async throws
    /// Marks an active unit inactive and records its replacement in one transaction; each successor
    /// then lists `code` among its former codes. Throws `directory.unknown_unit` for a missing unit
    /// or successor, `directory.unit_inactive` if the unit or a successor is already inactive.
    func replaceUnit(_ code: UnitCode, with replacement: UnitReplacement) async throws

    func addApp(_ app: App, secret: AppSecret) async throws
    func app(id: String) async throws -> App?
    func app(accessKey: String) async throws -> App?
    /// Apps ordered by creation; only those of `unit` when given.
    func apps(unit: UnitCode?) async throws -> [App]
    /// Sets an app's status; throws `directory.unknown_app` if there is no such app.
    func setStatus(_ status: AppStatus, appID: String) async throws

    /// The app's secrets (usable or not), newest first.
    func secrets(appID: String) async throws -> [AppSecret]
    /// Adds a secret and, in the same transaction, sets `expiresAt` on the app's other unexpired secrets
    /// to `retireOthersAt` (a rotation with a grace period; nil keeps them as they are).
    func addSecret(_ secret: AppSecret, retireOthersAt: Date?) async throws

    /// Replaces an app's authentication policy; throws `directory.unknown_app` if there is no such app.
    func setAuthPolicy(_ policy: AuthPolicy, appID: String) async throws
    /// Sets (nil: clears) an app's offline limit; throws `directory.unknown_app` if there is no such app.
    func setOfflineLimit(_ limit: TimeInterval?, appID: String) async throws
    /// Replaces the content formats an app accepts (kept in order); throws `directory.unknown_app` if there is no such app.
    func setAccepts(_ formats: [ContentFormat], appID: String) async throws
    /// Sets or clears a secret's expiry and revocation; throws `directory.unknown_secret` if the app has no such secret.
    func updateSecret(id: String, appID: String, expiresAt: Date?, revokedAt: Date?) async throws
    /// Records that a secret verified a request at `at` (best effort).
    func touchSecret(id: String, at: Date) async throws

    /// Registers a service; throws `directory.service_exists` if the unit already has one with that name.
    func addService(_ service: Service) async throws
    func service(_ ref: ServiceRef) async throws -> Service?
    /// Services ordered by unit and name; only those of `unit` when given.
    func services(unit: UnitCode?) async throws -> [Service]

    func addGrant(_ grant: Grant) async throws
    /// Grants ordered by creation; only those of `appID` when given.
    func grants(appID: String?) async throws -> [Grant]
}
