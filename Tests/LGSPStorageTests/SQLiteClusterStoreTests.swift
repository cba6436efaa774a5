import Foundation
import LGSPCore
import LGSPStorage
import LGSPTesting
import Testing

/// Node and task leases on SQLite: the `ClusterStore` contract, also across two processes' worth of
/// connections (two stores opened on one file, as two `lgsp serve` on one data folder do).
@Suite struct SQLiteClusterStoreTests {
    @Test("cluster store contract", arguments: ClusterStoreConformance.checks)
    func contract(_ check: ConformanceCheck<any ClusterStore>) async throws {
        let folder = try TemporaryFolder("lgsp-cluster")
        defer { folder.remove() }
        let store = try SQLiteStore(path: folder.path + "/lgsp.sqlite", masterKey: MasterKey.generate())
        try await check.run(store)
    }

    @Test("two stores on one file see one lease: a claim by one is refused to the other")
    func sharedFile() async throws {
        let folder = try TemporaryFolder("lgsp-cluster")
        defer { folder.remove() }
        let key = MasterKey.generate()
        let one = try SQLiteStore(path: folder.path + "/lgsp.sqlite", masterKey: key)
        let two = try SQLiteStore(path: folder.path + "/lgsp.sqlite", masterKey: key)
        let now = Date()
        #expect(try await one.claim("maintenance", node: "a", until: now.addingTimeInterval(5), at: now))
        #expect(try await two.claim("maintenance", node: "b", until: now.addingTimeInterval(5), at: now) == false)
        #expect(try await two.holder(of: "maintenance", at: now) == "a")
    }
}
