import Foundation
import LGSPCore
import LGSPStorage
import LGSPTesting
import Testing

/// The account store conformance suite on a real SQLite file, one fresh file per check.
@Suite("SQLite account store conformance")
struct SQLiteAccountStoreTests {
    @Test("account store contract (SQLite)", arguments: AccountStoreConformance.checks)
    func contract(_ check: ConformanceCheck<AccountStoreFixture>) async throws {
        let folder = try TemporaryFolder("lgsp-accounts")
        defer { folder.remove() }
        let store = try SQLiteStore(path: folder.path + "/lgsp.sqlite", masterKey: .generate())
        try await check.run(
            AccountStoreFixture(store: store) {
                // Everything SQLite keeps on disk: the main file and the write-ahead log.
                folder.files().reduce(into: Data()) { $0.append(FileManager.default.contents(atPath: $1) ?? Data()) }
            })
    }
}
