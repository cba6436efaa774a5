import Foundation
import LGSPCore
import LGSPStorage
import Logging
import Testing

/// A `PostgresStore` on a database of its own on the test server (`LGSP_TEST_POSTGRES_URL`, started by
/// `scripts/with-test-services.sh`), dropped afterwards.
///
/// Without a test server the PostgreSQL tests are skipped — unless `LGSP_REQUIRE_INTEROP=1` (what
/// `make test` sets): then its absence is recorded as a failure, so CI never passes them silently.
public enum PostgresTestStore {
    /// Whether a test server is configured; records an issue when it is not but is required.
    public static func available() -> Bool {
        if PostgresScratchDatabase.serverURL != nil { return true }
        if ExternalTools.interopRequired {
            Issue.record("LGSP_TEST_POSTGRES_URL is not set although LGSP_REQUIRE_INTEROP=1 (run the tests through scripts/with-test-services.sh)")
        }
        return false
    }

    /// Quiet: closing a pool logs its cancelled connection attempts at info.
    public static var logger: Logger {
        var logger = Logger(label: "lgsp.test.postgres")
        logger.logLevel = .warning
        return logger
    }

    /// Runs `body` with a store on a fresh database (migrated), then closes it and drops the database.
    public static func with(
        masterKey: MasterKey = .generate(), _ body: (PostgresStore, PostgresScratchDatabase) async throws -> Void
    ) async throws {
        guard let scratch = try await PostgresScratchDatabase.create("store") else { return }
        do {
            let store = try await PostgresStore(url: try PostgresURL(scratch.url), masterKey: masterKey, maximumConnections: 8, logger: logger)
            do {
                try await body(store, scratch)
            } catch {
                await store.close()
                throw error
            }
            await store.close()
        } catch {
            await scratch.drop()
            throw error
        }
        await scratch.drop()
    }
}
