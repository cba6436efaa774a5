import Foundation

/// Where each catalogue comes from and under which licence, read from the table of
/// `mappings/catalogues/SOURCES.md` (the one place that states them), so that the hub can publish
/// them with the catalogues.
///
/// A table row whose first cell is a catalogue file (`` `ethnic-group.csv` ``) gives, by the table's
/// header, its `built from` (source) and `licence` cells, Markdown backticks removed.
public struct CatalogueSources: Sendable {
    /// Attribution of one catalogue.
    public struct Entry: Sendable, Hashable {
        /// What the data was built from.
        public var source: String?
        /// Its licence.
        public var licence: String?
    }

    /// By catalogue name (file name without `.csv`).
    public let entries: [String: Entry]

    /// No attribution known.
    public static let empty = CatalogueSources(entries: [:])

    init(entries: [String: Entry]) { self.entries = entries }

    /// Reads the tables of a Markdown text.
    public init(markdown: String) {
        var entries: [String: Entry] = [:]
        var header: [String] = []
        for line in markdown.split(separator: "\n", omittingEmptySubsequences: false) {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            guard trimmed.hasPrefix("|") else {
                header = []
                continue
            }
            let cells = Self.cells(trimmed)
            if header.isEmpty {
                header = cells.map { $0.lowercased() }
                continue
            }
            guard let first = cells.first, first.hasSuffix(".csv") else { continue }
            func cell(_ names: [String]) -> String? {
                guard let index = header.firstIndex(where: { column in names.contains { column.contains($0) } }), index < cells.count else { return nil }
                let value = cells[index]
                return value.isEmpty ? nil : value
            }
            entries[String(first.dropLast(4))] = Entry(source: cell(["built from", "source"]), licence: cell(["licence", "license"]))
        }
        self.entries = entries
    }

    /// The cells of a table row, trimmed, backticks removed (pipes inside backticks are not split).
    private static func cells(_ row: String) -> [String] {
        var cells: [String] = []
        var current = ""
        var inCode = false
        for character in row.dropFirst() {
            if character == "`" { inCode.toggle(); continue }
            if character == "|" && !inCode {
                cells.append(current.trimmingCharacters(in: .whitespaces))
                current = ""
            } else {
                current.append(character)
            }
        }
        return cells
    }

    /// The attribution of `name`, if the table gives one.
    public subscript(name: String) -> Entry? { entries[name] }
}
