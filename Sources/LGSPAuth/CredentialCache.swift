import Foundation
import LGSPCore

/// Apps and their secrets by access key, kept for a few seconds so that verifying a signature does
/// not read the directory on every request.
///
/// Changes made through this hub (disable, rotate) invalidate the entry at once; changes made on
/// another node of a cluster take effect within `ttl`. Unknown access keys are remembered too, so a
/// flood of bad keys does not reach the database on every request.
public final class CredentialCache: Sendable {
    struct Entry: Sendable {
        var app: App?
        var secrets: [AppSecret]
        var loadedAt: Date
    }

    public let ttl: TimeInterval
    private let entries: ExpiringCache<String, Entry>

    public init(ttl: TimeInterval = 5, capacity: Int = 10_000) {
        self.ttl = ttl
        self.entries = ExpiringCache(capacity: capacity)
    }

    /// The cached app (nil app: known to be unknown) and secrets, if still fresh.
    func lookup(_ accessKey: String, now: Date) -> Entry? {
        entries.value(for: accessKey, now: now)
    }

    func store(_ entry: Entry, for accessKey: String) {
        guard ttl > 0 else { return }
        entries.store(entry, for: accessKey, until: entry.loadedAt.addingTimeInterval(ttl))
    }

    /// Forgets one access key (after its app was changed).
    public func invalidate(_ accessKey: String) {
        entries.removeValue(for: accessKey)
    }
}
