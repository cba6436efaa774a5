/// The authenticated app on whose behalf a use case runs.
public struct Caller: Sendable, Hashable {
    public var app: App

    public init(app: App) { self.app = app }

    /// Whether the caller is a hub administrator.
    public var isAdmin: Bool { app.role == .admin }

    /// The caller's unit, or `auth.forbidden` for callers that belong to none (administrators).
    public func requireUnit(for action: String) throws(LGSPError) -> UnitCode {
        guard app.role == .app, let unit = app.unit else {
            throw LGSPError(.forbidden, "only a unit's app can \(action); app \(app.accessKey) is an administrator credential")
        }
        return unit
    }

    /// Throws `auth.forbidden` unless the caller is an administrator.
    public func requireAdmin(for action: String) throws(LGSPError) {
        guard isAdmin else {
            throw LGSPError(.forbidden, "\(action) needs an administrator credential; app \(app.accessKey) is not one")
        }
    }
}
