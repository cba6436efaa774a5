import Foundation
import LGSPCore

/// A JSON Schema (draft 2020-12) that payloads are validated against, with the registry its
/// references resolve in.
public struct JSONSchema: Sendable {
    /// The absolute URI of the schema (`file:///…/schemas/x.schema.json` or its `$id`).
    public let uri: String
    /// A short name for messages (the file name).
    public let name: String
    let validator: JSONSchemaValidator

    /// The schema registered in `registry` as `uri`.
    ///
    /// Failure: `mapping.missing_file` when no document is registered there, `mapping.invalid_schema`
    /// when it is not a schema or one of its references resolves nowhere (checked by a trial run).
    public init(uri: String, name: String? = nil, registry: JSONSchemaRegistry) throws(LGSPError) {
        guard registry.lookup(uri) != nil else {
            throw LGSPError(.missingMappingFile, "no JSON Schema \(name ?? uri) was loaded", details: ["file": name ?? uri])
        }
        self.uri = uri
        self.name = name ?? URL(string: uri)?.lastPathComponent ?? uri
        self.validator = JSONSchemaValidator(registry: registry)
        try Self.checkReferences(registry.lookup(uri)!.schema, base: registry.lookup(uri)!.base, registry: registry, name: self.name)
    }

    /// The issues of `instance` (empty when it is valid).
    public func issues(_ instance: JSONValue) throws(LGSPError) -> [JSONSchemaIssue] {
        try validator.validate(instance, against: uri)
    }

    /// Validates `instance`; `role` (`input`, `output`) names it in the message.
    ///
    /// Failure: `transform.schema_violation` listing the issues (`instance location: problem [keyword]`).
    public func validate(_ instance: JSONValue, role: String = "document") throws(LGSPError) {
        let found = try issues(instance)
        guard found.isEmpty else {
            throw LGSPError(.schemaViolation, "the \(role) does not satisfy \(name): \(found.map(\.description).joined(separator: "; "))",
                details: ["schema": name, "location": found[0].instanceLocation])
        }
    }

    /// Every `$ref` of the schema must resolve (so a typo shows when the mapping loads, not on the
    /// first payload that reaches it).
    static func checkReferences(_ schema: JSONValue, base: String, registry: JSONSchemaRegistry, name: String) throws(LGSPError) {
        guard case .object(let object) = schema else { return }
        var base = base
        if case .string(let id)? = object["$id"] { base = JSONSchemaURI.resolve(id, against: base) }
        for key in ["$ref", "$dynamicRef"] {
            if case .string(let reference)? = object[key] {
                let target = JSONSchemaURI.resolve(reference, against: base)
                guard registry.lookup(target) != nil else {
                    throw LGSPError(.invalidSchema, "the JSON Schema \(name) refers to \(reference), which resolves to no loaded schema (\(target))",
                        details: ["file": name])
                }
            }
        }
        for member in object.members {
            if JSONSchemaRegistry.schemaKeywords.contains(member.key) {
                try checkReferences(member.value, base: base, registry: registry, name: name)
            } else if JSONSchemaRegistry.schemaMapKeywords.contains(member.key), case .object(let map) = member.value {
                for entry in map { try checkReferences(entry.value, base: base, registry: registry, name: name) }
            } else if JSONSchemaRegistry.schemaArrayKeywords.contains(member.key), case .array(let list) = member.value {
                for element in list { try checkReferences(element, base: base, registry: registry, name: name) }
            }
        }
    }
}
