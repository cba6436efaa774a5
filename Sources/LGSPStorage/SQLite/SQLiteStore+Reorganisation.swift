import Foundation
import GRDB
import LGSPCore

/// Renames and replacements of units (Article 7), each in one write transaction.
extension SQLiteStore {
    public func renameUnit(_ code: UnitCode, to name: String) async throws {
        let found = try await writing { db -> Bool in
            guard let row = try db.row("SELECT name, former_names FROM units WHERE code = ?", [code.rawValue]) else { return false }
            let current: String = row["name"]
            guard current != name else { return true }
            let former = Self.names(row["former_names"]) + [current]
            try db.run(
                "UPDATE units SET name = ?, former_names = ?, search_text = ? WHERE code = ?",
                [name, former.joined(separator: "\n"), Self.searchText(name: name, formerNames: former), code.rawValue])
            return true
        }
        if !found { throw LGSPError(.unknownUnit, "unit \(code) is not in the directory", field: "code") }
    }

    public func replaceUnit(_ code: UnitCode, with replacement: UnitReplacement) async throws {
        try await writing { db in
            func status(_ unit: UnitCode) throws -> String? {
                try db.string("SELECT status FROM units WHERE code = ?", [unit.rawValue])
            }
            guard let current = try status(code) else {
                throw LGSPError(.unknownUnit, "unit \(code) is not in the directory", field: "code")
            }
            guard current == UnitStatus.active.rawValue else {
                throw LGSPError(.unitInactive, "unit \(code) is already inactive", field: "code")
            }
            for (index, successor) in replacement.successors.enumerated() {
                guard let state = try status(successor) else {
                    throw LGSPError(.unknownUnit, "successor \(successor) is not in the directory", field: "by[\(index)]")
                }
                guard state == UnitStatus.active.rawValue, successor != code else {
                    throw LGSPError(.unitInactive, "successor \(successor) is not an active unit", field: "by[\(index)]")
                }
            }
            try db.run(
                "UPDATE units SET status = ?, replaced_reason = ?, replaced_effective = ? WHERE code = ?",
                [UnitStatus.inactive.rawValue, replacement.reason.rawValue, replacement.effective.millis, code.rawValue])
            for (position, successor) in replacement.successors.enumerated() {
                try db.run(
                    "INSERT INTO unit_successions (old_code, position, new_code) VALUES (?, ?, ?)", [code.rawValue, position, successor.rawValue])
            }
        }
    }

    /// The replacement recorded on a unit row (`replaced_reason` set), with its ordered successors.
    static func replacement(_ row: Row) throws -> UnitReplacement? {
        guard let reasonText = row["replaced_reason"] as String? else { return nil }
        let successors = try Self.list(row["successor_list"] as String? ?? "")
            .map { entry -> (Int, UnitCode) in
                let parts = entry.split(separator: ":", maxSplits: 1)
                return (try stored(parts.first.flatMap { Int($0) }, "successor position"), try stored(parts.last.flatMap { UnitCode(lenient: String($0)) }, "successor code"))
            }
            .sorted { $0.0 < $1.0 }.map(\.1)
        return UnitReplacement(
            successors: successors, reason: try stored(ReorganisationReason(rawValue: reasonText), "replacement reason"),
            effective: try stored(row.date("replaced_effective"), "replacement date"))
    }
}

/// A packet's redirects (`packets.redirects`): JSON, NULL when there are none.
extension SQLiteStore {
    static func redirectsText(_ redirects: [RecipientRedirect]) throws -> String? {
        redirects.isEmpty ? nil : String(decoding: try JSONEncoder().encode(redirects), as: UTF8.self)
    }

    static func redirects(_ text: String?) throws -> [RecipientRedirect] {
        guard let text else { return [] }
        do {
            return try JSONDecoder().decode([RecipientRedirect].self, from: Data(text.utf8))
        } catch {
            throw LGSPError(.storageFailure, "stored packet redirects could not be read back; the database may be damaged")
        }
    }
}
