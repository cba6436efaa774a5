import Foundation
import LGSPCore

extension MappingRun {
    /// Looks `value` up in a catalogue, applying the rule's policies for unknown and ambiguous values.
    func lookup(_ lookup: CatalogueLookup, _ value: JSONValue, in context: Context, at location: RuleLocation) throws(LGSPError) -> JSONValue {
        guard let catalogue = catalogues[lookup.catalogue], let key = value.text else {
            throw location.error(.missingMappingFile, "the catalogue \(lookup.catalogue) is not loaded")
        }
        let fuzzy = !(lookup.match == "code" || lookup.match.hasSuffix("_code"))
        let rows = catalogue.rows(where: lookup.match, is: key, fuzzy: fuzzy)
        guard !rows.isEmpty else {
            switch lookup.unknown {
            case .pass: return value
            case .replace(let replacement): return replacement
            case .fail:
                throw location.error(.unknownCode, "'\(key)' is not a known \(lookup.match) in the catalogue \(lookup.catalogue)",
                    details: ["catalogue": lookup.catalogue, "code": key])
            }
        }
        let candidates = Self.distinct(rows, catalogue: catalogue, column: lookup.result)
        if candidates.count == 1 { return .string(candidates[0].value) }
        switch lookup.ambiguous {
        case .all:
            return .array(candidates.map { .string($0.value) })
        case .fail:
            throw ambiguity(lookup, key: key, candidates: candidates, catalogue: catalogue, at: location, reason: "the rule has no way to choose (add ambiguous: {hint: …})")
        case .hint(let source, let column):
            guard let hint = try read(source, in: context, at: location)?.text, !hint.isEmpty else {
                throw ambiguity(lookup, key: key, candidates: candidates, catalogue: catalogue, at: location, reason: "the hint \(source) is empty")
            }
            // The hint may or may not carry the unit type ("Phường Tân Hưng", "tan hung", "Xa Lung").
            let wanted: Set<String> = [Catalogue.fold(hint), Self.placeName(hint)]
            let chosen = candidates.filter { wanted.contains(Self.placeName(catalogue.value(row: $0.row, column: column) ?? "")) }
            guard chosen.count == 1 else {
                throw ambiguity(lookup, key: key, candidates: candidates, catalogue: catalogue, at: location,
                                reason: "the hint '\(hint)' (\(source)) matches \(chosen.count) of them by \(column)")
            }
            return .string(chosen[0].value)
        }
    }

    private func ambiguity(_ lookup: CatalogueLookup, key: String, candidates: [(row: Int, value: String)], catalogue: Catalogue,
                           at location: RuleLocation, reason: String) -> LGSPError {
        let nameColumn = catalogue.columns.first { $0.hasPrefix(lookup.result.replacingOccurrences(of: "code", with: "")) && $0.hasSuffix("name") }
            ?? catalogue.columns.first { $0.hasSuffix("name") }
        let listed = candidates.map { candidate in
            nameColumn.flatMap { catalogue.value(row: candidate.row, column: $0) }.map { "\(candidate.value) (\($0))" } ?? candidate.value
        }
        return location.error(.ambiguousCode, "'\(key)' maps to \(candidates.count) values in the catalogue \(lookup.catalogue): \(listed.joined(separator: ", ")); \(reason)",
            details: ["catalogue": lookup.catalogue, "code": key, "candidates": candidates.map(\.value).joined(separator: ",")])
    }

    /// The distinct values of `column` over `rows`, in catalogue order, each with its first row.
    static func distinct(_ rows: [Int], catalogue: Catalogue, column: String) -> [(row: Int, value: String)] {
        var seen = Set<String>()
        var result: [(Int, String)] = []
        for row in rows {
            guard let value = catalogue.value(row: row, column: column), seen.insert(value).inserted else { continue }
            result.append((row, value))
        }
        return result
    }

    /// A place name folded, without its unit type (`Phường Ngọc Hà` and `ngoc ha` meet).
    static func placeName(_ name: String) -> String {
        let words = name.precomposedStringWithCanonicalMapping.lowercased().replacingOccurrences(of: "đ", with: "d")
            .folding(options: .diacriticInsensitive, locale: nil).split(whereSeparator: \.isWhitespace).joined(separator: " ")
        for type in ["thanh pho ", "phuong ", "thi tran ", "dac khu ", "xa ", "tinh "] where words.hasPrefix(type) {
            return Catalogue.fold(String(words.dropFirst(type.count)))
        }
        return Catalogue.fold(words)
    }
}
