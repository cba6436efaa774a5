import Foundation
import LGSPCore
import PostgresNIO

extension PostgresStore {
    /// Every value of every table of the database, as bytes: text as UTF-8, `bytea` as its raw bytes
    /// (not hex), other types in their text form. For tests that prove nothing is stored in clear:
    /// a secret that reached any column in plaintext, even in a `bytea`, shows up in this dump.
    public func storedBytes() async throws -> Data {
        let columns = try await rows(
            """
            SELECT table_name, column_name, data_type FROM information_schema.columns
            WHERE table_schema = current_schema() ORDER BY table_name, ordinal_position
            """)
        var dump = Data()
        for column in columns {
            let table = try column.string("table_name")
            let name = try column.string("column_name")
            let quoted = "\"\(table.replacingOccurrences(of: "\"", with: "\"\""))\".\"\(name.replacingOccurrences(of: "\"", with: "\"\""))\""
            let tableOnly = "\"\(table.replacingOccurrences(of: "\"", with: "\"\""))\""
            if try column.string("data_type") == "bytea" {
                for row in try await rows(PostgresQuery(unsafeSQL: "SELECT \(quoted) AS v FROM \(tableOnly) WHERE \(quoted) IS NOT NULL")) {
                    dump.append(try row.data("v"))
                    dump.append(0x0A)
                }
            } else {
                for row in try await rows(PostgresQuery(unsafeSQL: "SELECT \(quoted)::text AS v FROM \(tableOnly) WHERE \(quoted) IS NOT NULL")) {
                    dump.append(Data(try row.string("v").utf8))
                    dump.append(0x0A)
                }
            }
        }
        return dump
    }
}
