import Foundation
import LGSPCore

/// An exclusive advisory lock on a packet's content file, held while one writer changes it.
///
/// It is `flock(2)` on a descriptor of its own: between processes on one machine it is the kernel's;
/// on an NFS mount Linux turns it into a whole-file POSIX lock that the NFS server arbitrates, so a
/// writer on another node sees it too. Closing the descriptor (when the lock is released) unlocks.
final class ContentFileLock {
    private let descriptor: Int32

    private init(descriptor: Int32) {
        self.descriptor = descriptor
    }

    /// Locks the file at `path` without waiting; nil if there is no such file (nothing to protect yet).
    ///
    /// - Throws: `exchange.upload_in_progress` when another writer holds the lock,
    ///   `server.storage_failure` when the file cannot be opened or locked.
    static func acquire(_ path: String, packet: PacketID) throws -> ContentFileLock? {
        // Read-write: over NFS an exclusive lock needs a descriptor open for writing.
        let descriptor = open(path, O_RDWR | O_CLOEXEC | O_NOFOLLOW)
        guard descriptor >= 0 else {
            if errno == ENOENT { return nil }
            throw LGSPError(.storageFailure, "cannot open the content of packet \(packet) to lock it: \(String(cString: strerror(errno)))")
        }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            let code = errno
            close(descriptor)
            if code == EWOULDBLOCK {
                throw LGSPError(.uploadInProgress, "another upload of packet \(packet) is in progress (on this or another node); wait for it or retry later")
            }
            throw LGSPError(.storageFailure, "cannot lock the content of packet \(packet): \(String(cString: strerror(code)))")
        }
        return ContentFileLock(descriptor: descriptor)
    }

    deinit {
        close(descriptor)
    }
}
