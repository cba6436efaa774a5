import Foundation
import Logging

/// Maintenance notices and the incident log (Articles 13, 15.6): the use cases behind
/// `/v1/admin/maintenance`, `/v1/admin/incidents`, `GET /v1/maintenance`, the CLI and the console.
///
/// The functions taking `by actor` trust that the caller was authorised as an administrator (the
/// routes and the console check that); `actor` is what the records show as who acted
/// (`admin:<accessKey>`, `console:<user>`). Refusals are `LGSPError`s with the `operations.*` and
/// `request.*` codes named on each function.
public struct OperationsService: Sendable {
    let store: any OperationsStore
    /// Where the `hub.maintenance` events are appended (the events every app's feed reads).
    let events: any PacketStore
    let directory: any DirectoryStore
    let notifier: any EventNotifier
    let audit: AuditRecorder
    let clock: any HubClock
    let logger: Logger

    public init(
        store: any OperationsStore, events: any PacketStore, directory: any DirectoryStore, notifier: any EventNotifier, audit: AuditRecorder,
        clock: any HubClock, logger: Logger
    ) {
        self.store = store
        self.events = events
        self.directory = directory
        self.notifier = notifier
        self.audit = audit
        self.clock = clock
        self.logger = logger
    }

    /// The longest title, in characters.
    public static let maximumTitle = 200
    /// The longest message, note or resolution, in characters.
    public static let maximumText = 4000
}

extension OperationsService {
    /// Checks a required text member: present after trimming and not too long.
    static func text(_ value: String, field: String, maximum: Int) throws(LGSPError) -> String {
        let trimmed = value.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { throw LGSPError(.missingField, "'\(field)' must not be empty", field: field) }
        guard trimmed.count <= maximum else {
            throw LGSPError(.invalidField, "'\(field)' has \(trimmed.count) characters; at most \(maximum) are allowed", field: field)
        }
        return trimmed
    }

    static func optionalText(_ value: String?, field: String, maximum: Int) throws(LGSPError) -> String? {
        guard let value, !value.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { return nil }
        return try text(value, field: field, maximum: maximum)
    }
}
