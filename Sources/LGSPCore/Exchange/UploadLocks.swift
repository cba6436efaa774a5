import Synchronization

/// Packets whose content is being uploaded (or converted) by a task on this node: a second concurrent one is refused.
final class UploadLocks: Sendable {
    private let held = Mutex<Set<PacketID>>([])

    /// Takes the lock for `id` or throws `exchange.upload_in_progress`.
    func acquire(_ id: PacketID) throws(LGSPError) {
        let inserted = held.withLock { $0.insert(id).inserted }
        guard inserted else {
            throw LGSPError(.uploadInProgress, "another upload of packet \(id) is in progress; wait for it or retry later")
        }
    }

    /// Takes the lock for `id` if it is free; false if this node already holds it.
    func tryAcquire(_ id: PacketID) -> Bool {
        held.withLock { $0.insert(id).inserted }
    }

    func release(_ id: PacketID) {
        _ = held.withLock { $0.remove(id) }
    }
}
