import Foundation
import LGSPCore

/// The schema documents a validator can reach, indexed by absolute URI, `$anchor` and
/// `$dynamicAnchor` (JSON Schema 2020-12 core §8.2, §9).
///
/// Documents are added explicitly (by file or with a URI); nothing is ever fetched from the network.
/// A `$ref` to a URI that no added document declares is reported when validating
/// (`mapping.invalid_schema`). Immutable once built, so it is shared freely.
public struct JSONSchemaRegistry: Sendable {
    /// A subschema with the base URI in force where it sits.
    struct Located: Sendable {
        var schema: JSONValue
        var base: String
    }

    var resources: [String: Located] = [:]
    var anchors: [String: Located] = [:]
    var dynamicAnchors: [String: Located] = [:]

    /// An empty registry.
    public init() {}

    /// Adds a schema document under `uri` (its `$id`, when present, is resolved against `uri`).
    public mutating func add(_ schema: JSONValue, uri: String) {
        let base = JSONSchemaURI.stripFragment(uri)
        // The document is reachable by the URI it was added under, even when its $id differs.
        resources[base] = Located(schema: schema, base: base)
        index(schema, base: base, isDocumentRoot: true)
    }

    /// Adds every `*.json` file under `folder` (recursively), each under its `file://` URI.
    ///
    /// Failure: `mapping.invalid_schema` naming a file that is not valid JSON.
    public mutating func addFiles(under folder: URL) throws(LGSPError) {
        let files = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: nil)?
            .compactMap { $0 as? URL }.filter { $0.pathExtension == "json" }.sorted { $0.path < $1.path } ?? []
        for file in files { try addFile(file) }
    }

    /// Adds one JSON file under its `file://` URI.
    public mutating func addFile(_ file: URL) throws(LGSPError) {
        let data: Data
        do { data = try Data(contentsOf: file) } catch {
            throw LGSPError(.missingMappingFile, "the JSON Schema \(file.path) cannot be read", details: ["file": file.path])
        }
        do {
            add(try JSONParser().parse(data), uri: file.standardizedFileURL.absoluteString)
        } catch {
            throw LGSPError(.invalidSchema, "the JSON Schema \(file.path) is not valid JSON: \(error.message)", details: ["file": file.path])
        }
    }

    /// The keywords whose values are subschemas, a map of subschemas, or an array of them.
    static let schemaKeywords: Set<String> = [
        "additionalProperties", "items", "contains", "not", "if", "then", "else", "propertyNames",
        "unevaluatedItems", "unevaluatedProperties", "contentSchema",
    ]
    static let schemaMapKeywords: Set<String> = ["$defs", "definitions", "properties", "patternProperties", "dependentSchemas"]
    static let schemaArrayKeywords: Set<String> = ["allOf", "anyOf", "oneOf", "prefixItems"]

    // Located.base is the base URI *around* a subschema; evaluation applies the subschema's own
    // `$id` to it, so a relative `$id` is resolved exactly once.
    private mutating func index(_ schema: JSONValue, base outer: String, isDocumentRoot: Bool) {
        guard case .object(let object) = schema else {
            if isDocumentRoot { resources[outer] = Located(schema: schema, base: outer) }
            return
        }
        var base = outer
        if case .string(let id)? = object["$id"] {
            base = JSONSchemaURI.resolve(id, against: outer)
            resources[JSONSchemaURI.stripFragment(base)] = Located(schema: schema, base: outer)
        }
        if isDocumentRoot, resources[base] == nil { resources[base] = Located(schema: schema, base: outer) }
        if case .string(let anchor)? = object["$anchor"] {
            anchors[base + "#" + anchor] = Located(schema: schema, base: outer)
        }
        if case .string(let anchor)? = object["$dynamicAnchor"] {
            anchors[base + "#" + anchor] = Located(schema: schema, base: outer)
            dynamicAnchors[base + "#" + anchor] = Located(schema: schema, base: outer)
        }
        for member in object.members {
            if Self.schemaKeywords.contains(member.key) {
                index(member.value, base: base, isDocumentRoot: false)
            } else if Self.schemaMapKeywords.contains(member.key), case .object(let map) = member.value {
                for entry in map.members { index(entry.value, base: base, isDocumentRoot: false) }
            } else if Self.schemaArrayKeywords.contains(member.key), case .array(let list) = member.value {
                for element in list { index(element, base: base, isDocumentRoot: false) }
            }
        }
    }

    /// The subschema an absolute reference names, with its base URI.
    func lookup(_ uri: String) -> Located? {
        let document = JSONSchemaURI.stripFragment(uri)
        guard let fragment = JSONSchemaURI.fragment(uri), !fragment.isEmpty else { return resources[document] }
        if let tokens = JSONSchemaURI.pointerTokens(fragment) {
            guard var current = resources[document] else { return nil }
            for token in tokens {
                // The base in force inside the current subschema (its own $id applied).
                var inner = current.base
                if case .object(let object) = current.schema, case .string(let id)? = object["$id"] {
                    inner = JSONSchemaURI.resolve(id, against: inner)
                }
                let next: JSONValue?
                switch current.schema {
                case .object(let object): next = object[token]
                case .array(let list): next = Int(token).flatMap { list.indices.contains($0) ? list[$0] : nil }
                default: next = nil
                }
                guard let next else { return nil }
                // Array elements (allOf/0) share the base of the object holding the array.
                current = Located(schema: next, base: inner)
            }
            return current
        }
        return anchors[document + "#" + fragment]
    }
}
