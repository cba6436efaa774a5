import Foundation
import LGSPCore

/// A mapping: how a payload of one format and schema becomes a payload of another, rule by rule,
/// loaded from `mappings/<name>.mapping.yaml` (the language is documented in `mappings/README.md`).
///
/// A mapping is immutable and shared by every conversion; `transform` is thread-safe.
public struct Mapping: Sendable {
    /// One side of the conversion.
    public struct Endpoint: Sendable {
        /// JSON or XML.
        public var format: MappingFormat
        /// The schema file as written, relative to `schemas/` (`citizen-national.schema.json`).
        public var schema: String?
        /// XML namespace prefixes: used in XPath (source) and emitted exactly (target).
        public var namespaces: [String: String]
        /// The line of the endpoint in the mapping file.
        public var line: Int
    }

    /// The name (the file name without `.mapping.yaml`).
    public let name: String
    /// The file as messages name it.
    public let file: String
    /// What the mapping does, for people.
    public let description: String?
    /// What it reads.
    public let source: Endpoint
    /// What it writes.
    public let target: Endpoint
    /// Its rules, in file order.
    public let rules: [MappingRule]
    let catalogues: CatalogueLibrary
    let inputSchema: PayloadSchema?
    let outputSchema: PayloadSchema?
    /// Limits for parsing XML input.
    public var xmlLimits = XMLParseLimits.standard
}

/// A compiled schema a payload must satisfy.
enum PayloadSchema: Sendable {
    case json(JSONSchema)
    case xsd(XMLSchema)
}
