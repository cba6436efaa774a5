import Foundation
import LGSPCore
import Synchronization

/// Apps and their secrets by access key, kept for a few seconds so that verifying a signature does
/// not read the directory on every request.
///
/// Changes made through this hub (disable, rotate) invalidate the entry at once; changes made on
/// another node of a cluster take effect within `ttl`. Unknown access keys are remembered too, so a
/// flood of bad keys does not reach the database on every request.
public final class CredentialCache: Sendable {
    struct Entry {
        var app: App?
        var secrets: [AppSecret]
        var loadedAt: Date
    }

    public let ttl: TimeInterval
    private let capacity: Int
    private let entries = Mutex<[String: Entry]>([:])

    public init(ttl: TimeInterval = 5, capacity: Int = 10_000) {
        self.ttl = ttl
        self.capacity = capacity
    }

    /// The cached app (nil app: known to be unknown) and secrets, if still fresh.
    func lookup(_ accessKey: String, now: Date) -> Entry? {
        entries.withLock { entries in
            guard let entry = entries[accessKey], now.timeIntervalSince(entry.loadedAt) < ttl else { return nil }
            return entry
        }
    }

    func store(_ entry: Entry, for accessKey: String) {
        guard ttl > 0 else { return }
        entries.withLock { entries in
            if entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
            entries[accessKey] = entry
        }
    }

    /// Forgets one access key (after its app was changed).
    public func invalidate(_ accessKey: String) {
        _ = entries.withLock { $0.removeValue(forKey: accessKey) }
    }
}
