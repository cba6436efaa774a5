import Synchronization

/// Packets whose content is being uploaded by a request on this node: a second concurrent upload is refused.
final class UploadLocks: Sendable {
    private let held = Mutex<Set<PacketID>>([])

    /// Takes the lock for `id` or throws `exchange.upload_in_progress`.
    func acquire(_ id: PacketID) throws(LGSPError) {
        let inserted = held.withLock { $0.insert(id).inserted }
        guard inserted else {
            throw LGSPError(.uploadInProgress, "another upload of packet \(id) is in progress; wait for it or retry later")
        }
    }

    func release(_ id: PacketID) {
        _ = held.withLock { $0.remove(id) }
    }
}
