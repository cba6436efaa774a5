import Foundation
import LGSPCore
import PostgresNIO

/// Renames and replacements of units (Article 7), and directory search, on PostgreSQL.
extension PostgresStore {
    /// Columns of a unit row with its successors (`position:code,…`) and former codes.
    static let unitColumns = """
        u.*,
        (SELECT string_agg(position || ':' || new_code, ',') FROM unit_successions WHERE old_code = u.code) AS successor_list,
        (SELECT string_agg(old_code, ',') FROM unit_successions WHERE new_code = u.code) AS former_code_list
        """

    public func renameUnit(_ code: UnitCode, to name: String) async throws {
        let found = try await transaction { tx -> Bool in
            // FOR UPDATE: two renames at once both keep the name they replace among the former names.
            guard let row = try await tx.rows("SELECT name, former_names FROM units WHERE code = \(code.rawValue) FOR UPDATE").first else {
                return false
            }
            let current = try row.string("name")
            guard current != name else { return true }
            let former = SQLiteStore.names(try row.string("former_names")) + [current]
            try await tx.run(
                """
                UPDATE units SET name = \(name), former_names = \(former.joined(separator: "\n")),
                    search_text = \(SQLiteStore.searchText(name: name, formerNames: former))
                WHERE code = \(code.rawValue)
                """)
            return true
        }
        if !found { throw LGSPError(.unknownUnit, "unit \(code) is not in the directory", field: "code") }
    }

    public func replaceUnit(_ code: UnitCode, with replacement: UnitReplacement) async throws {
        try await transaction { tx in
            func status(_ unit: UnitCode) async throws -> String? {
                try await tx.rows("SELECT status FROM units WHERE code = \(unit.rawValue) FOR UPDATE").first?.string("status")
            }
            guard let current = try await status(code) else {
                throw LGSPError(.unknownUnit, "unit \(code) is not in the directory", field: "code")
            }
            guard current == UnitStatus.active.rawValue else {
                throw LGSPError(.unitInactive, "unit \(code) is already inactive", field: "code")
            }
            for (index, successor) in replacement.successors.enumerated() {
                guard let state = try await status(successor) else {
                    throw LGSPError(.unknownUnit, "successor \(successor) is not in the directory", field: "by[\(index)]")
                }
                guard state == UnitStatus.active.rawValue, successor != code else {
                    throw LGSPError(.unitInactive, "successor \(successor) is not an active unit", field: "by[\(index)]")
                }
            }
            try await tx.run(
                """
                UPDATE units SET status = \(UnitStatus.inactive.rawValue), replaced_reason = \(replacement.reason.rawValue),
                    replaced_effective = \(replacement.effective.millis)
                WHERE code = \(code.rawValue)
                """)
            for (position, successor) in replacement.successors.enumerated() {
                try await tx.run(
                    "INSERT INTO unit_successions (old_code, position, new_code) VALUES (\(code.rawValue), \(Int64(position)), \(successor.rawValue))")
            }
        }
    }

    /// Same narrowing as `SQLiteStore.units(matching:)`: `LIKE` on the folded search text and on codes,
    /// then `UnitSearchQuery.matches` keeps exactly the units the query matches.
    public func units(matching query: UnitSearchQuery) async throws -> [LGSPCore.Unit] {
        var conditions: [String] = []
        var binds = PostgresBindings()
        func bind(_ value: String) -> String {
            binds.append(value)
            return "$\(binds.count)"
        }
        if !query.words.isEmpty {
            conditions.append("(" + query.words.map { "u.search_text LIKE \(bind("%\($0)%"))" }.joined(separator: " AND ") + ")")
        }
        if let text = query.codeText {
            conditions.append("u.code LIKE \(bind(text + "%"))")
            if let group = query.levelOneGroup {
                conditions.append("u.code LIKE \(bind("%." + group))")
            }
            if let code = query.code {
                let groups = code.rawValue.split(separator: ".")
                conditions.append("u.code = \(bind(code.rawValue))")
                conditions.append("u.code IN (SELECT new_code FROM unit_successions WHERE old_code = \(bind(code.rawValue)))")
                conditions.append("u.code LIKE \(bind("%." + groups.suffix(code.level).joined(separator: ".")))")
            }
        }
        guard !conditions.isEmpty else { return [] }
        let sql = "SELECT \(Self.unitColumns) FROM units u WHERE " + conditions.joined(separator: " OR ")
        return try await rows(PostgresQuery(unsafeSQL: sql, binds: binds)).map(Self.unit).filter(query.matches)
    }

    /// The replacement recorded on a unit row (`replaced_reason` set), with its ordered successors.
    static func replacement(_ row: PGRow) throws -> UnitReplacement? {
        guard let reasonText = try row.optionalString("replaced_reason") else { return nil }
        let successors = try SQLiteStore.list(try row.optionalString("successor_list") ?? "")
            .map { entry -> (Int, UnitCode) in
                let parts = entry.split(separator: ":", maxSplits: 1)
                return (
                    try stored(parts.first.flatMap { Int($0) }, "successor position"),
                    try stored(parts.last.flatMap { UnitCode(lenient: String($0)) }, "successor code")
                )
            }
            .sorted { $0.0 < $1.0 }.map(\.1)
        return UnitReplacement(
            successors: successors, reason: try stored(ReorganisationReason(rawValue: reasonText), "replacement reason"),
            effective: try stored(try row.optionalDate("replaced_effective"), "replacement date"))
    }
}
