import Foundation
import LGSPCore
import Logging
import ServiceLifecycle

/// Makes this node one of several acting as one hub (Article 5.6):
/// - renews the node's lease every third of `cluster.leaseSeconds`;
/// - finds nodes whose lease lapsed (killed, frozen, cut off): the one node that wins `reapNode` closes
///   the dead node's open connections in the presence history (at the lease's end, the last moment the
///   node was known alive) and releases every task lease it held, so the others take its work over;
/// - carries wake-ups from other nodes (`EventFanout`) to this node's streams.
///
/// On graceful shutdown the node closes its own connections, gives its task leases up and lets its
/// lease lapse at once.
struct ClusterService: ServiceLifecycle.Service {
    let hub: Hub
    let logger: Logger

    func run() async throws {
        let broker = hub.broker
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                try await broker.fanout.run()
            }
            group.addTask {
                for await signal in broker.fanout.signals() { broker.wake(signal) }
            }
            group.addTask {
                try await cancelWhenGracefulShutdown { try await leases() }
                await leave()
            }
            try await group.waitForAll()
        }
    }

    private func leases() async throws {
        let startedAt = hub.clock.now()
        while !Task.isCancelled {
            await pass(startedAt: startedAt)
            try await Task.sleep(for: .milliseconds(Int(hub.configuration.clusterLease * 1000 / 3)))
        }
    }

    /// Renews this node's lease and cleans up after dead nodes.
    func pass(startedAt: Date) async {
        guard let cluster = hub.cluster else { return }
        let node = hub.configuration.nodeName
        do {
            let now = hub.clock.now()
            try await cluster.renewNode(node, startedAt: startedAt, until: now.addingTimeInterval(hub.configuration.clusterLease))
            for dead in try await cluster.expiredNodes(at: now) where dead.node != node {
                guard try await cluster.reapNode(dead.node, at: now) else { continue }
                try await hub.store.closeConnections(node: dead.node, at: dead.until)
                try await cluster.releaseAll(holder: dead.node)
                logger.warning(
                    "node lease expired: its connections are closed and its work released",
                    metadata: ["node": "\(dead.node)", "leaseEnded": "\(dead.until)"])
            }
        } catch {
            logger.error("cluster lease pass failed", metadata: ["error": "\(error)"])
        }
    }

    /// Graceful stop: the node's streams are over and its work is free for the others now.
    private func leave() async {
        guard let cluster = hub.cluster else { return }
        let node = hub.configuration.nodeName
        let now = hub.clock.now()
        try? await cluster.releaseAll(holder: node)
        try? await hub.store.closeConnections(node: node, at: now)
        try? await cluster.renewNode(node, startedAt: now, until: now.addingTimeInterval(-0.001))
    }
}
