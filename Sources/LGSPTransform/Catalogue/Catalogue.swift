import Foundation
import LGSPCore

/// A national shared catalogue (danh mục dùng chung): a CSV table with a header row, looked up by
/// any column.
///
/// Matching a column by code is exact (after trimming). Matching by name folds case, diacritics
/// (`đ` as `d`), punctuation and spaces, so `H'Mông`, `Hmông` and `HMONG` meet; a column
/// `aliases` (names separated by `;`) adds other spellings that match like the `name` column.
public struct Catalogue: Sendable {
    /// The catalogue's name (its file name without `.csv`).
    public let name: String
    /// The header row.
    public let columns: [String]
    /// The data rows, each with one field per column.
    public let rows: [[String]]
    /// The SHA-256 of the file, hex (for versioning and ETags).
    public let version: String
    private let exact: [String: [String: [Int]]]
    private let folded = FoldedIndex()

    /// Reads a catalogue from CSV text; `file` names it in errors.
    ///
    /// Failure: `mapping.invalid` for an empty file, duplicate column names or a row with another
    /// number of fields than the header (line given).
    public init(name: String, csv text: String, file: String) throws(LGSPError) {
        let records = try CSVReader.records(text, file: file)
        guard let header = records.first, !header.isEmpty else {
            throw LGSPError(.invalidMapping, "\(file):1: the catalogue has no header row", details: ["mapping": file, "line": "1"])
        }
        let columns = header.map { $0.trimmingCharacters(in: .whitespaces) }
        guard Set(columns).count == columns.count else {
            throw LGSPError(.invalidMapping, "\(file):1: the catalogue repeats a column name", details: ["mapping": file, "line": "1"])
        }
        var exact: [String: [String: [Int]]] = [:]
        var rows: [[String]] = []
        for (offset, record) in records.dropFirst().enumerated() {
            guard record.count == columns.count else {
                throw LGSPError(.invalidMapping, "\(file): row \(offset + 2) has \(record.count) fields, the header has \(columns.count)",
                    details: ["mapping": file, "line": "\(offset + 2)"])
            }
            let row = rows.count
            rows.append(record)
            for (column, value) in zip(columns, record) {
                let trimmed = value.trimmingCharacters(in: .whitespaces)
                guard !trimmed.isEmpty else { continue }
                exact[column, default: [:]][trimmed, default: []].append(row)
            }
        }
        self.name = name
        self.columns = columns
        self.rows = rows
        self.exact = exact
        self.version = ContentDigest.of(Data(text.utf8)).hex
    }

    /// Whether the catalogue has this column.
    public func hasColumn(_ column: String) -> Bool { columns.contains(column) }

    /// The rows whose `column` holds `value`: exactly, or folded when `fuzzy` (see the type's doc).
    public func rows(where column: String, is value: String, fuzzy: Bool) -> [Int] {
        let trimmed = value.trimmingCharacters(in: .whitespaces)
        if let rows = exact[column]?[trimmed] { return Self.unique(rows) }
        guard fuzzy else { return [] }
        return Self.unique(folded.index(of: column, in: self)[Self.fold(trimmed)] ?? [])
    }

    /// Folded values of `column` (with the `aliases` column for `name`) → rows.
    fileprivate func buildFoldedIndex(_ column: String) -> [String: [Int]] {
        guard let position = columns.firstIndex(of: column) else { return [:] }
        var index: [String: [Int]] = [:]
        for (row, record) in rows.enumerated() where !record[position].isEmpty {
            index[Self.fold(record[position]), default: []].append(row)
        }
        if column == "name", let aliases = columns.firstIndex(of: "aliases") {
            for (row, record) in rows.enumerated() {
                for alias in record[aliases].split(separator: ";") { index[Self.fold(String(alias)), default: []].append(row) }
            }
        }
        return index
    }

    /// The value of `column` in `row`.
    public func value(row: Int, column: String) -> String? {
        guard let index = columns.firstIndex(of: column) else { return nil }
        return rows[row][index]
    }

    private static func unique(_ rows: [Int]) -> [Int] {
        var seen = Set<Int>()
        return rows.filter { seen.insert($0).inserted }
    }

    /// Case, diacritics, punctuation and spacing folded away (`Ê-đê` → `ede`).
    public static func fold(_ text: String) -> String {
        let lowered = text.precomposedStringWithCanonicalMapping.lowercased().replacingOccurrences(of: "đ", with: "d")
        let stripped = lowered.folding(options: [.diacriticInsensitive], locale: nil)
        return String(String.UnicodeScalarView(stripped.unicodeScalars.filter { CharacterSet.alphanumerics.contains($0) }))
    }
}

/// The loose (folded) indexes of a catalogue, built per column on first use: most columns are only
/// ever matched exactly, and folding every value of a 10,000-row table would slow loading.
private final class FoldedIndex: @unchecked Sendable {
    private let lock = NSLock()
    private var indexes: [String: [String: [Int]]] = [:]

    func index(of column: String, in catalogue: Catalogue) -> [String: [Int]] {
        lock.lock()
        defer { lock.unlock() }
        if let index = indexes[column] { return index }
        let index = catalogue.buildFoldedIndex(column)
        indexes[column] = index
        return index
    }
}
