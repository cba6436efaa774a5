import Foundation
import LGSPCore
import PostgresNIO

/// One result row read by column name, with the typed accessors the store's mappings use. A value
/// that does not decode is a damaged database: `server.storage_failure`, never a crash.
struct PGRow: @unchecked Sendable {
    // PostgresRandomAccessRow holds immutable buffers; it is only read.
    private let row: PostgresRandomAccessRow

    init(_ row: PostgresRow) { self.row = PostgresRandomAccessRow(row) }

    func decode<T: PostgresDecodable>(_ column: String, as type: T.Type = T.self) throws -> T {
        do {
            return try row[column].decode(T.self)
        } catch {
            throw LGSPError(.storageFailure, "stored column \(column) could not be read back; the database may be damaged")
        }
    }

    func string(_ column: String) throws -> String { try decode(column) }
    func optionalString(_ column: String) throws -> String? { try decode(column) }
    func int64(_ column: String) throws -> Int64 { try decode(column) }
    func optionalInt64(_ column: String) throws -> Int64? { try decode(column) }
    func int(_ column: String) throws -> Int { Int(try int64(column)) }
    func bool(_ column: String) throws -> Bool { try decode(column) }
    func data(_ column: String) throws -> Data { try decode(column) }
    func optionalData(_ column: String) throws -> Data? { try decode(column) }
    func date(_ column: String) throws -> Date { Date(millis: try int64(column)) }
    func optionalDate(_ column: String) throws -> Date? { try optionalInt64(column).map(Date.init(millis:)) }
}
