import Foundation
import Synchronization

/// A small thread-safe map whose entries expire: lookups that would otherwise read the database (or
/// verify a signature) on every request. Each entry carries its own expiry; when the map is full it is
/// emptied (simple, and a full map means heavy use, where a refill is cheap next to the work saved).
public final class ExpiringCache<Key: Hashable & Sendable, Value: Sendable>: Sendable {
    private let capacity: Int
    private let entries: Mutex<[Key: (value: Value, expiresAt: Date)]>

    public init(capacity: Int = 10_000) {
        self.capacity = capacity
        self.entries = Mutex([:])
    }

    /// The value, if present and not expired at `now`.
    public func value(for key: Key, now: Date) -> Value? {
        entries.withLock { entries in
            guard let entry = entries[key] else { return nil }
            guard entry.expiresAt > now else {
                entries.removeValue(forKey: key)
                return nil
            }
            return entry.value
        }
    }

    public func store(_ value: Value, for key: Key, until expiresAt: Date) {
        entries.withLock { entries in
            if entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
            entries[key] = (value, expiresAt)
        }
    }

    /// Forgets one key.
    public func removeValue(for key: Key) {
        _ = entries.withLock { $0.removeValue(forKey: key) }
    }

    /// Forgets everything (after a change the entries may depend on).
    public func removeAll() {
        entries.withLock { $0.removeAll(keepingCapacity: true) }
    }
}
