import Synchronization

/// Who is acting and from where, for the work of one request: set by the server around each
/// request (a task-local), filled in by authentication, read by whatever records audit entries on
/// the way (the exchange's state changes). Work outside any request is the hub's own: `system`.
public final class AuditScope: Sendable {
    /// The scope of the request the current task serves, nil outside requests.
    @TaskLocal public static var current: AuditScope?

    public let source: String
    public let requestID: String
    private let who = Mutex<String>("anonymous")

    public init(source: String, requestID: String) {
        self.source = source
        self.requestID = requestID
    }

    /// `admin:<key>`, `app:<key>`, `claimed:<key>` (a signature that did not verify) or `anonymous`.
    public var actor: String { who.withLock { $0 } }

    /// Records the authenticated app.
    public func identify(_ app: App) {
        who.withLock { $0 = "\(app.role == .admin ? "admin" : "app"):\(app.accessKey)" }
    }

    /// Records the access key a request claims before its signature is checked.
    public func claim(_ accessKey: String) {
        who.withLock { if $0 == "anonymous" { $0 = "claimed:\(String(accessKey.prefix(128)))" } }
    }
}
