import Foundation

/// The console's languages: Vietnamese (with diacritics) by default, English on request (`lang` cookie).
enum ConsoleLanguage: String, Sendable, CaseIterable {
    case vi
    case en

    /// The language a request asked for with the `lang` cookie; Vietnamese otherwise.
    init(cookie: String?) {
        self = cookie.flatMap(ConsoleLanguage.init(rawValue:)) ?? .vi
    }

    /// The other language, offered by the switch link.
    var other: ConsoleLanguage { self == .vi ? .en : .vi }
}

/// Every string the console shows, one JSON file per language (`Resources/console/strings/<lang>.json`),
/// loaded once. A key missing from a language falls back to Vietnamese, then to the key itself;
/// `ConsoleTests` checks that both files have the same keys.
struct ConsoleCatalogue: Sendable {
    let strings: [ConsoleLanguage: [String: String]]

    init(folder: URL) throws {
        var strings: [ConsoleLanguage: [String: String]] = [:]
        for language in ConsoleLanguage.allCases {
            let data = try Data(contentsOf: folder.appendingPathComponent("strings/\(language.rawValue).json"))
            strings[language] = try JSONDecoder().decode([String: String].self, from: data)
        }
        self.strings = strings
    }

    /// The whole table of a language (what templates read as `t.<key>`).
    func table(_ language: ConsoleLanguage) -> [String: String] {
        guard language != .vi else { return strings[.vi] ?? [:] }
        return (strings[.vi] ?? [:]).merging(strings[language] ?? [:]) { $1 }
    }

    /// One string, with `{name}` placeholders filled in.
    func text(_ key: String, _ language: ConsoleLanguage, _ values: [String: String] = [:]) -> String {
        var text = strings[language]?[key] ?? strings[.vi]?[key] ?? key
        for (name, value) in values { text = text.replacingOccurrences(of: "{\(name)}", with: value) }
        return text
    }
}
