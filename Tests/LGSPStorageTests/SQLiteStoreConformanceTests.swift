import Foundation
import GRDB
import LGSPCore
import LGSPStorage
import LGSPTesting
import Testing

/// The store conformance suites on a real SQLite file (WAL mode), one fresh file per check.
@Suite("SQLite store conformance")
struct SQLiteStoreConformanceTests {
    static func withStore(_ body: (SQLiteStore, StoreFixture, TemporaryFolder) async throws -> Void) async throws {
        let folder = try TemporaryFolder("lgsp-sqlite")
        defer { folder.remove() }
        let store = try SQLiteStore(path: folder.path + "/lgsp.sqlite", masterKey: .generate())
        let fixture = StoreFixture(directory: store, packets: store) {
            // Everything SQLite keeps on disk: the main file and the write-ahead log.
            folder.files().reduce(into: Data()) { $0.append(FileManager.default.contents(atPath: $1) ?? Data()) }
        }
        try await body(store, fixture, folder)
    }

    @Test("directory store contract", arguments: DirectoryStoreConformance.checks)
    func directory(_ check: ConformanceCheck<StoreFixture>) async throws {
        try await Self.withStore { _, fixture, _ in try await check.run(fixture) }
    }

    @Test("packet store contract", arguments: PacketStoreConformance.checks)
    func packets(_ check: ConformanceCheck<StoreFixture>) async throws {
        try await Self.withStore { _, fixture, _ in try await check.run(fixture) }
    }

    @Test("delivery trace store contract", arguments: DeliveryTraceStoreConformance.checks)
    func traces(_ check: ConformanceCheck<StoreFixture>) async throws {
        try await Self.withStore { _, fixture, _ in try await check.run(fixture) }
    }

    @Test("the database runs in WAL mode and reopening runs no migration twice")
    func walAndReopen() async throws {
        let folder = try TemporaryFolder("lgsp-sqlite")
        defer { folder.remove() }
        let key = MasterKey.generate()
        let path = folder.path + "/lgsp.sqlite"
        do {
            let store = try SQLiteStore(path: path, masterKey: key)
            try await store.addUnit(Fixtures.unit("000.00.05.H24"))
        }
        let reopened = try SQLiteStore(path: path, masterKey: key)
        #expect(try await reopened.units().count == 1)
        let queue = try DatabaseQueue(path: path)
        #expect(try await queue.read { try String.fetchOne($0, sql: "PRAGMA journal_mode") } == "wal")
    }

    @Test("secrets sealed with one master key do not open with another")
    func wrongMasterKey() async throws {
        let folder = try TemporaryFolder("lgsp-sqlite")
        defer { folder.remove() }
        let path = folder.path + "/lgsp.sqlite"
        let app = Fixtures.app(unit: "000.00.05.H24")
        do {
            let store = try SQLiteStore(path: path, masterKey: .generate())
            try await store.addUnit(Fixtures.unit("000.00.05.H24"))
            try await store.addApp(app, secret: Fixtures.secret(for: app))
        }
        let other = try SQLiteStore(path: path, masterKey: .generate())
        let error = await #expect(throws: LGSPError.self) { _ = try await other.secrets(appID: app.id) }
        #expect(error?.code == .storageFailure)
    }

    @Test("an online backup is a consistent, openable copy")
    func backup() async throws {
        try await Self.withStore { store, _, folder in
            try await store.addUnit(Fixtures.unit("000.00.05.H24", "Sở Tài chính"))
            let copy = folder.path + "/backup.sqlite"
            try store.backup(to: copy)
            let restored = try DatabaseQueue(path: copy)
            #expect(try await restored.read { try String.fetchOne($0, sql: "SELECT name FROM units") } == "Sở Tài chính")
        }
    }
}
