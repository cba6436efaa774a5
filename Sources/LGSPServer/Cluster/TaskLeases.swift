import Foundation
import LGSPCore
import Logging

/// Which node of a hub does a piece of work now: a lease per task name in the shared store
/// (`ClusterStore.claim`), held for `duration` and renewed by the holder on each pass.
///
/// Two shapes are used (see docs/OPERATIONS-CLUSTER.md, "Who does what"):
/// - a leader lease for periodic sweeps (`maintenance`): one node runs the pass; when it dies its lease
///   lapses and another node takes over. The sweep's own writes are compare-and-set (`PacketStore.apply`),
///   so even two nodes overlapping at a takeover move each delivery once.
/// - an item lease for work that can be spread (`webhook:<app id>`): any node may push any app's
///   webhook, but only one at a time, so events go out in order and once.
///
/// Without a `ClusterStore` (a store that cannot share leases) every claim succeeds: one node does everything.
struct TaskLeases: Sendable {
    let store: (any ClusterStore)?
    let node: String
    let clock: any HubClock
    let duration: TimeInterval
    let logger: Logger

    /// Claims (or renews) `task` for this node; false when another node holds it or the store fails.
    func hold(_ task: String) async -> Bool {
        guard let store else { return true }
        let now = clock.now()
        do {
            return try await store.claim(task, node: node, until: now.addingTimeInterval(duration), at: now)
        } catch {
            logger.warning("cannot claim a task lease", metadata: ["task": "\(task)", "error": "\(error)"])
            return false
        }
    }

    /// Gives `task` up so another node may take it at once.
    func release(_ task: String) async {
        try? await store?.release(task, node: node)
    }
}

extension Hub {
    /// The store's leases, when it keeps them (SQLite and PostgreSQL do).
    var cluster: (any ClusterStore)? { store as? any ClusterStore }

    /// Task leases of this node, lasting one node lease.
    var taskLeases: TaskLeases {
        TaskLeases(store: cluster, node: configuration.nodeName, clock: clock, duration: configuration.clusterLease, logger: logger)
    }
}
