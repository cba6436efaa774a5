import Foundation
import LGSPCore
import LGSPStorage
import LGSPTesting
import Testing

/// The peer-link store contract (federation) on a real SQLite file, one fresh file per check.
@Suite("SQLite peer-link store conformance")
struct SQLitePeerLinkStoreTests {
    @Test("peer-link store contract", arguments: PeerLinkStoreConformance.checks)
    func peerLinks(_ check: ConformanceCheck<StoreFixture>) async throws {
        let folder = try TemporaryFolder("lgsp-sqlite-peer")
        defer { folder.remove() }
        let store = try SQLiteStore(path: folder.path + "/lgsp.sqlite", masterKey: .generate())
        try await check.run(StoreFixture(directory: store, packets: store) { Data() })
    }
}
