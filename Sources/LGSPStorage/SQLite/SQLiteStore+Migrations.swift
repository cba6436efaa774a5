import Foundation
import GRDB

extension SQLiteStore {
    /// The names of the applied migrations, in the order they were defined (`lgsp migrate` prints the last).
    public func appliedMigrations() async throws -> [String] {
        let applied = try await reading { db in try SQLiteMigrations.migrator.appliedIdentifiers(db) }
        return SQLiteMigrations.migrator.migrations.filter(applied.contains)
    }
}
