import Foundation
import LGSPCore

/// The mappings of a project folder with what they use: `mappings/*.mapping.yaml`, the catalogues
/// of `mappings/catalogues/` and the schemas of `schemas/` (JSON Schemas and XSDs).
///
/// Loading is all-or-nothing per file: a mapping that fails to load is reported, never half used.
public struct MappingLibrary: Sendable {
    /// The folder holding `mappings/` and `schemas/` (the package root, or the hub's data folder).
    public let root: URL
    /// The catalogues of `mappings/catalogues/`.
    public let catalogues: CatalogueLibrary
    /// Every JSON Schema of `schemas/`, by `file://` URI and `$id`.
    public let schemas: JSONSchemaRegistry
    private let xsds = XSDCache()

    /// Loads the catalogues and JSON Schemas under `root`.
    ///
    /// Failure: `mapping.invalid` (a malformed catalogue) or `mapping.invalid_schema` (a schema that
    /// is not JSON), naming the file.
    public init(root: URL) throws(LGSPError) {
        self.root = root.standardizedFileURL
        catalogues = try CatalogueLibrary(folder: root.appendingPathComponent("mappings/catalogues"))
        var registry = JSONSchemaRegistry()
        let schemasFolder = root.appendingPathComponent("schemas").resolvingSymlinksInPath()
        if FileManager.default.fileExists(atPath: schemasFolder.path) { try registry.addFiles(under: schemasFolder) }
        schemas = registry
    }

    /// A library with no catalogues and no schemas under `root` (a hub whose folder has no mappings yet).
    init(empty root: URL) {
        self.root = root.standardizedFileURL
        catalogues = CatalogueLibrary([])
        schemas = JSONSchemaRegistry()
    }

    /// `mappings/` under the root.
    public var mappingsFolder: URL { root.appendingPathComponent("mappings") }
    /// `schemas/`, symbolic links resolved (schema URIs are the files' real `file://` URIs).
    public var schemasFolder: URL { root.appendingPathComponent("schemas").resolvingSymlinksInPath() }

    /// Every `*.mapping.yaml` of `mappings/`, sorted.
    public func mappingFiles() -> [URL] { files(suffix: ".mapping.yaml") }

    /// Every `*.test.yaml` of `mappings/`, sorted.
    public func testFiles() -> [URL] { files(suffix: ".test.yaml") }

    private func files(suffix: String) -> [URL] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: mappingsFolder.path)) ?? []
        return names.filter { $0.hasSuffix(suffix) }.sorted().map { mappingsFolder.appendingPathComponent($0) }
    }

    /// A path relative to the root for messages (`mappings/x.mapping.yaml`).
    public func display(_ url: URL) -> String {
        let path = url.standardizedFileURL.path
        let prefix = root.path.hasSuffix("/") ? root.path : root.path + "/"
        return path.hasPrefix(prefix) ? String(path.dropFirst(prefix.count)) : path
    }

    /// Loads and checks the mapping file at `url`.
    ///
    /// Failure: `mapping.invalid` (file, line, rule), `mapping.missing_file` (a schema or catalogue
    /// it names does not exist), `mapping.invalid_schema`.
    public func loadMapping(at url: URL) throws(LGSPError) -> Mapping {
        let file = display(url)
        guard let text = try? String(contentsOf: url, encoding: .utf8) else {
            throw LGSPError(.missingMappingFile, "the mapping \(file) cannot be read", details: ["mapping": file])
        }
        return try loadMapping(text: text, file: file)
    }

    /// Loads a mapping from its text; `file` names it in messages.
    public func loadMapping(text: String, file: String) throws(LGSPError) -> Mapping {
        let parsed = try MappingParser(yaml: YAMLSource(file: file), catalogues: catalogues).parse(text)
        let base = URL(fileURLWithPath: file).lastPathComponent
        let name = parsed.name ?? (base.hasSuffix(".mapping.yaml") ? String(base.dropLast(".mapping.yaml".count)) : base)
        return Mapping(
            name: name, file: file, description: parsed.description, source: parsed.source, target: parsed.target, rules: parsed.rules,
            catalogues: catalogues,
            inputSchema: try schema(for: parsed.source, file: file), outputSchema: try schema(for: parsed.target, file: file))
    }

    /// The mapping `mappings/<name>.mapping.yaml`.
    public func mapping(named name: String) throws(LGSPError) -> Mapping {
        try loadMapping(at: mappingsFolder.appendingPathComponent(name + ".mapping.yaml"))
    }

    private func schema(for endpoint: Mapping.Endpoint, file: String) throws(LGSPError) -> PayloadSchema? {
        guard let relative = endpoint.schema else { return nil }
        let url = schemasFolder.appendingPathComponent(relative).standardizedFileURL
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw LGSPError(.missingMappingFile, "\(file):\(endpoint.line): the schema schemas/\(relative) does not exist",
                details: ["mapping": file, "line": "\(endpoint.line)", "file": "schemas/\(relative)"])
        }
        do throws(LGSPError) {
            switch endpoint.format {
            case .json:
                return .json(try JSONSchema(uri: url.absoluteString, name: relative, registry: schemas))
            case .xml:
                return .xsd(try xsds.schema(at: url.path, folder: schemasFolder.path))
            }
        } catch {
            var located = error
            located.message = "\(file):\(endpoint.line): \(error.message)"
            located.details["mapping"] = file
            located.details["line"] = "\(endpoint.line)"
            throw located
        }
    }
}

/// Compiled XSDs, shared between the mappings that name the same file.
final class XSDCache: @unchecked Sendable {
    private let lock = NSLock()
    private var compiled: [String: XMLSchema] = [:]

    func schema(at path: String, folder: String) throws(LGSPError) -> XMLSchema {
        lock.lock()
        defer { lock.unlock() }
        if let schema = compiled[path] { return schema }
        let schema = try XMLSchema(contentsOf: path, allowingImportsUnder: folder)
        compiled[path] = schema
        return schema
    }
}
