import Foundation

/// Leases that let several hub nodes sharing one store act as one (Article 5.6): each node's own
/// lease (it is alive) and task leases (which node does a piece of periodic or per-item work now).
///
/// Contract (checked by `ClusterStoreConformance` in LGSPTesting for every implementation):
/// - `renewNode` creates or extends the node's lease to `until`; a reaped node that renews is alive again.
/// - `expiredNodes(at:)` lists nodes whose lease ended before `now`, oldest first.
/// - `reapNode` is a compare-and-set: it removes the node's lease only if it is still expired at `now`,
///   and returns true to exactly one of any number of concurrent callers (the one that cleans up).
/// - `claim` gives a task lease to `node` when nobody holds it, its lease ended before `now`, or `node`
///   holds it already (renewal); of concurrent claimers exactly one gets true. `release` gives it up
///   (only the holder's release counts); `releaseAll(holder:)` gives up every lease of a dead node.
public protocol ClusterStore: Sendable {
    func renewNode(_ node: String, startedAt: Date, until: Date) async throws
    func nodes() async throws -> [NodeLease]
    func expiredNodes(at now: Date) async throws -> [NodeLease]
    func reapNode(_ node: String, at now: Date) async throws -> Bool

    func claim(_ task: String, node: String, until: Date, at now: Date) async throws -> Bool
    func release(_ task: String, node: String) async throws
    func releaseAll(holder node: String) async throws
    /// The node holding `task` with an unexpired lease at `now`, or nil.
    func holder(of task: String, at now: Date) async throws -> String?
}

/// One node of the hub and how long it is known to be alive.
public struct NodeLease: Sendable, Hashable, Codable {
    public var node: String
    public var startedAt: Date
    /// The node is considered dead after this time unless it renews.
    public var until: Date

    public init(node: String, startedAt: Date, until: Date) {
        self.node = node
        self.startedAt = startedAt
        self.until = until
    }
}
