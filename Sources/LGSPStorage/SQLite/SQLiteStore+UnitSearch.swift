import Foundation
import GRDB
import LGSPCore

/// Directory search on SQLite: `units.search_text` holds the folded, abbreviation-expanded words of
/// a unit's current and former names (` so tai chinh `), so each query word is one `LIKE '%word%'`
/// (folded words are letters and digits only: nothing to escape). SQL narrows the candidates;
/// `UnitSearchQuery.matches` then keeps exactly the units the query matches. For a directory of a
/// few thousand units this is a scan of one small column, well under a millisecond per query.
extension SQLiteStore {
    /// Columns of a unit row with its successors (`position:code,…`) and former codes.
    static let unitColumns = """
        u.*,
        (SELECT group_concat(position || ':' || new_code) FROM unit_successions WHERE old_code = u.code) AS successor_list,
        (SELECT group_concat(old_code) FROM unit_successions WHERE new_code = u.code) AS former_code_list
        """

    public func units(matching query: UnitSearchQuery) async throws -> [LGSPCore.Unit] {
        var conditions: [String] = []
        var arguments: [String] = []
        if !query.words.isEmpty {
            conditions.append("(" + query.words.map { _ in "u.search_text LIKE ?" }.joined(separator: " AND ") + ")")
            arguments += query.words.map { "%\($0)%" }
        }
        if let text = query.codeText {
            conditions.append("u.code LIKE ?")
            arguments.append(text + "%")
            if let group = query.levelOneGroup {
                conditions.append("u.code LIKE ?")
                arguments.append("%." + group)
            }
            if let code = query.code {
                // The code itself, the units that replaced it, and its descendants (same right-hand groups).
                let groups = code.rawValue.split(separator: ".")
                conditions.append("u.code = ?")
                conditions.append("u.code IN (SELECT new_code FROM unit_successions WHERE old_code = ?)")
                conditions.append("u.code LIKE ?")
                arguments += [code.rawValue, code.rawValue, "%." + groups.suffix(code.level).joined(separator: ".")]
            }
        }
        let sql = "SELECT \(Self.unitColumns) FROM units u WHERE " + conditions.joined(separator: " OR ")
        let candidates = try await reading { [arguments] db in
            try db.rows(sql, StatementArguments(arguments)).map(Self.unit)
        }
        return candidates.filter(query.matches)
    }

    /// The stored search text of a unit: the search keys of its name and former names, space-framed.
    static func searchText(name: String, formerNames: [String]) -> String {
        " " + ([name] + formerNames).map(VietnameseText.searchKey).joined(separator: " ") + " "
    }

    /// Recomputes every unit's `search_text` unless it was made by the current
    /// `VietnameseText.searchKeyVersion` (run by migration v5 to fill the column, and at every open).
    static func refreshUnitSearchText(_ db: Database) throws {
        let current = try Int.fetchOne(db, sql: "SELECT version FROM derived_versions WHERE name = 'unit_search_text'")
        guard current != VietnameseText.searchKeyVersion else { return }
        for row in try Row.fetchAll(db, sql: "SELECT code, name, former_names FROM units") {
            let text = searchText(name: row["name"], formerNames: names(row["former_names"]))
            try db.execute(sql: "UPDATE units SET search_text = ? WHERE code = ?", arguments: [text, row["code"] as String])
        }
        try db.execute(
            sql: "INSERT INTO derived_versions (name, version) VALUES ('unit_search_text', ?) ON CONFLICT(name) DO UPDATE SET version = excluded.version",
            arguments: [VietnameseText.searchKeyVersion])
    }

    /// Former names are stored one per line (names hold no control characters).
    static func names(_ text: String?) -> [String] {
        guard let text, !text.isEmpty else { return [] }
        return text.split(separator: "\n").map(String.init)
    }
}
