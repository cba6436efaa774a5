import Foundation
import LGSPCore

/// A complete set of mappings as the hub uses them: every mapping of `mappings/`, loaded and passing
/// its own test file, the catalogues and schemas they use, and `mappings/datatypes.yaml`.
///
/// A set is all or nothing: `load` returns one only when every file loads and every test passes,
/// so a broken file never replaces a working set. It is immutable and shared by every conversion.
public struct MappingSet: Sendable {
    /// The mappings, catalogues and schemas.
    public let library: MappingLibrary
    /// Every mapping, by name.
    public let mappings: [String: Mapping]
    /// What `mappings/datatypes.yaml` says (empty without the file).
    public let dataTypes: DataTypeFormats
    /// The folders' fingerprint when the set was read (`MappingFingerprint`).
    public let fingerprint: String
    /// Source and licence of each catalogue (`mappings/catalogues/SOURCES.md`).
    public let catalogueSources: CatalogueSources

    /// A set with nothing in it: no data type is converted, no catalogue published.
    public static func empty(root: URL) -> MappingSet {
        MappingSet(
            library: MappingLibrary(empty: root), mappings: [:], dataTypes: .empty, fingerprint: "", catalogueSources: .empty)
    }

    init(library: MappingLibrary, mappings: [String: Mapping], dataTypes: DataTypeFormats, fingerprint: String, catalogueSources: CatalogueSources) {
        self.library = library
        self.mappings = mappings
        self.dataTypes = dataTypes
        self.fingerprint = fingerprint
        self.catalogueSources = catalogueSources
    }

    /// Loads the set under `root` (the folder holding `mappings/` and `schemas/`) and runs every test file.
    ///
    /// - Returns: the set, or every problem found (each naming the file, and the line and rule where
    ///   it has one): `mapping.invalid`, `mapping.missing_file` (a schema, catalogue, test file or
    ///   mapping that does not exist), `mapping.invalid_schema`, `mapping.test_failed`.
    public static func load(root: URL) -> Result<MappingSet, MappingSetFailure> {
        let fingerprint = MappingFingerprint.of(root: root)
        let library: MappingLibrary
        do throws(LGSPError) { library = try MappingLibrary(root: root) } catch {
            return .failure(MappingSetFailure(problems: [error], fingerprint: fingerprint))
        }
        var problems: [LGSPError] = []
        var mappings: [String: Mapping] = [:]
        for url in library.mappingFiles() {
            do throws(LGSPError) {
                let mapping = try library.loadMapping(at: url)
                if mappings[mapping.name] != nil {
                    throw LGSPError(.invalidMapping, "\(mapping.file): another mapping is already called \(mapping.name)", details: ["mapping": mapping.file])
                }
                mappings[mapping.name] = mapping
            } catch {
                problems.append(error)
            }
        }
        let runner = MappingTestRunner(library: library)
        var tested = Set<String>()
        for url in library.testFiles() {
            let result = runner.run(url)
            if let error = result.error { problems.append(error) }
            if let mapping = result.mapping { tested.insert(mapping) }
        }
        for mapping in mappings.values where !tested.contains(mapping.file) {
            problems.append(LGSPError(.missingMappingFile, "\(mapping.file): the mapping has no test file; a mapping is used only once its tests pass",
                details: ["mapping": mapping.file]))
        }
        var dataTypes = DataTypeFormats.empty
        let dataTypesURL = library.mappingsFolder.appendingPathComponent(DataTypeFormats.fileName)
        if FileManager.default.fileExists(atPath: dataTypesURL.path) {
            let file = library.display(dataTypesURL)
            do throws(LGSPError) {
                guard let text = try? String(contentsOf: dataTypesURL, encoding: .utf8) else {
                    throw LGSPError(.invalidMapping, "\(file) is not UTF-8 text", details: ["mapping": file])
                }
                dataTypes = try DataTypeFormats(text: text, file: file)
                for entry in dataTypes.entries.values.sorted(by: { $0.line < $1.line }) {
                    for (format, name) in entry.conversions.sorted(by: { $0.key < $1.key }) where mappings[name] == nil {
                        let line = entry.lines[format] ?? entry.line
                        problems.append(LGSPError(.missingMappingFile,
                            "\(file):\(line): data type \(entry.dataType) converts to \(format) with the mapping \(name), but mappings/\(name).mapping.yaml does not exist or does not load",
                            details: ["mapping": file, "line": "\(line)"]))
                    }
                }
            } catch {
                problems.append(error)
            }
        }
        guard problems.isEmpty else { return .failure(MappingSetFailure(problems: problems, fingerprint: fingerprint)) }
        let sourcesURL = library.mappingsFolder.appendingPathComponent("catalogues/SOURCES.md")
        let sources = (try? String(contentsOf: sourcesURL, encoding: .utf8)).map(CatalogueSources.init(markdown:)) ?? .empty
        return .success(
            MappingSet(library: library, mappings: mappings, dataTypes: dataTypes, fingerprint: fingerprint, catalogueSources: sources))
    }
}

/// Why a mapping set was not loaded: every problem found, and the folders' fingerprint then.
public struct MappingSetFailure: Error, Sendable {
    /// Each problem, naming its file (and line and rule where it has one).
    public var problems: [LGSPError]
    /// The fingerprint of the folders that failed (a watcher retries only once they change again).
    public var fingerprint: String
}
