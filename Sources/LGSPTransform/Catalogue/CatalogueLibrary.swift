import Foundation
import LGSPCore

/// The catalogues of a folder (`mappings/catalogues/<name>.csv`), loaded once.
public struct CatalogueLibrary: Sendable {
    /// The catalogues by name.
    public let catalogues: [String: Catalogue]

    /// Loads every `*.csv` of `folder`; `displayRoot` prefixes file names in messages.
    ///
    /// Failure: `mapping.invalid` for a malformed catalogue (file and line named). A missing folder
    /// gives an empty library.
    public init(folder: URL, displayPrefix: String = "mappings/catalogues/") throws(LGSPError) {
        var catalogues: [String: Catalogue] = [:]
        let files = (try? FileManager.default.contentsOfDirectory(atPath: folder.path))?.filter { $0.hasSuffix(".csv") }.sorted() ?? []
        for file in files {
            let name = String(file.dropLast(4))
            guard let text = try? String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8) else {
                throw LGSPError(.invalidMapping, "\(displayPrefix)\(file) is not UTF-8 text", details: ["mapping": displayPrefix + file])
            }
            catalogues[name] = try Catalogue(name: name, csv: text, file: displayPrefix + file)
        }
        self.catalogues = catalogues
    }

    /// A library of the given catalogues (for tests and embedding).
    public init(_ catalogues: [Catalogue]) {
        self.catalogues = Dictionary(uniqueKeysWithValues: catalogues.map { ($0.name, $0) })
    }

    /// The catalogue called `name`.
    public subscript(name: String) -> Catalogue? { catalogues[name] }
}
