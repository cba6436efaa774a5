import Foundation
import LGSPCore
import Synchronization

/// Evaluates instances against JSON Schema draft 2020-12: the core (`$ref`, `$dynamicRef`, `$id`,
/// `$anchor`, `$defs`, `$vocabulary` of a custom meta-schema), applicator, unevaluated and validation
/// vocabularies. `format` and the content keywords are annotations (as 2020-12 requires by default).
///
/// Contract: `validate` returns the issues found (empty = valid) or throws `mapping.invalid_schema`
/// when a reference resolves to no document of the registry. Thread-safe; `pattern` regular
/// expressions (ICU, close to ECMA-262) are compiled once and cached.
public struct JSONSchemaValidator: Sendable {
    /// The schemas references resolve in.
    public let registry: JSONSchemaRegistry
    /// Most issues collected before evaluation stops adding more.
    public var maxIssues = 20
    let references = ReferenceCache()

    /// A validator over `registry`.
    public init(registry: JSONSchemaRegistry) {
        self.registry = registry
    }

    static let validationKeywords: Set<String> = [
        "type", "enum", "const", "multipleOf", "maximum", "exclusiveMaximum", "minimum", "exclusiveMinimum",
        "maxLength", "minLength", "pattern", "maxItems", "minItems", "uniqueItems", "maxContains", "minContains",
        "maxProperties", "minProperties", "required", "dependentRequired",
    ]
    static let validationVocabulary = "https://json-schema.org/draft/2020-12/vocab/validation"

    /// Validates `instance` against the schema at the absolute URI `schemaURI` (a registered document
    /// or a fragment of one).
    public func validate(_ instance: JSONValue, against schemaURI: String) throws(LGSPError) -> [JSONSchemaIssue] {
        guard let root = registry.lookup(schemaURI) else {
            throw LGSPError(.invalidSchema, "no JSON Schema is registered as \(schemaURI)")
        }
        var evaluation = Evaluation(registry: registry, references: references, maxIssues: maxIssues)
        evaluation.assertValidation = assertsValidation(root.schema)
        _ = try evaluation.evaluate(root.schema, base: root.base, instance: instance, path: "", scope: [])
        return evaluation.issues
    }

    /// Whether the schema's meta-schema (by `$schema`) includes the validation vocabulary.
    private func assertsValidation(_ schema: JSONValue) -> Bool {
        guard case .object(let object) = schema, case .string(let meta)? = object["$schema"],
              let metaschema = registry.lookup(meta), case .object(let metaObject) = metaschema.schema,
              case .object(let vocabularies)? = metaObject["$vocabulary"] else { return true }
        return vocabularies[Self.validationVocabulary] != nil
    }
}

/// Which instance members and items a schema evaluated, for `unevaluated*` (2020-12 core §11).
struct Annotations {
    var properties: Set<String> = []
    var allItems = false
    var prefixItems = 0
    var itemIndices: Set<Int> = []

    mutating func merge(_ other: Annotations) {
        properties.formUnion(other.properties)
        allItems = allItems || other.allItems
        prefixItems = max(prefixItems, other.prefixItems)
        itemIndices.formUnion(other.itemIndices)
    }
}

/// One validation run: issues found so far, and the settings of the run.
struct Evaluation {
    let registry: JSONSchemaRegistry
    let references: ReferenceCache
    let maxIssues: Int
    var assertValidation = true
    var issues: [JSONSchemaIssue] = []
    /// Speculative evaluations (inside anyOf, not, if…) do not report.
    var quiet = 0
    var depth = 0

    init(registry: JSONSchemaRegistry, references: ReferenceCache, maxIssues: Int) {
        self.registry = registry
        self.references = references
        self.maxIssues = maxIssues
    }

    mutating func fail(_ path: String, _ keyword: String, _ message: String) {
        guard quiet == 0, issues.count < maxIssues else { return }
        issues.append(JSONSchemaIssue(instanceLocation: path, keyword: keyword, message: message))
    }

    /// Evaluates without reporting (for applicators that combine results).
    mutating func probe(_ schema: JSONValue, base: String, instance: JSONValue, path: String, scope: [String]) throws(LGSPError) -> (Bool, Annotations) {
        quiet += 1
        defer { quiet -= 1 }
        return try evaluate(schema, base: base, instance: instance, path: path, scope: scope)
    }

    mutating func evaluate(_ schema: JSONValue, base: String, instance: JSONValue, path: String, scope: [String]) throws(LGSPError) -> (Bool, Annotations) {
        switch schema {
        case .bool(true): return (true, Annotations())
        case .bool(false):
            fail(path, "false", "no value is allowed here")
            return (false, Annotations())
        case .object(let object):
            depth += 1
            defer { depth -= 1 }
            guard depth < 200 else { throw LGSPError(.invalidSchema, "the JSON Schema recurses without end (more than 200 nested references)") }
            var base = base
            var scope = scope
            if case .string(let id)? = object["$id"] {
                base = JSONSchemaURI.resolve(id, against: base)
                scope.append(JSONSchemaURI.stripFragment(base))
            } else if scope.isEmpty {
                scope.append(JSONSchemaURI.stripFragment(base))
            }
            return try evaluateObject(object, base: base, instance: instance, path: path, scope: scope)
        default:
            throw LGSPError(.invalidSchema, "a JSON Schema must be an object or a boolean, found \(schema.typeName)")
        }
    }
}

/// Resolved references, shared by the runs of one validator (the registry never changes, so a
/// reference resolved once stays resolved).
final class ReferenceCache: @unchecked Sendable {
    private let lock = NSLock()
    private var resolved: [String: JSONSchemaRegistry.Located] = [:]

    func located(_ reference: String, base: String, registry: JSONSchemaRegistry) -> (target: String, located: JSONSchemaRegistry.Located?) {
        let key = base + "\u{0}" + reference
        lock.lock()
        let cached = resolved[key]
        lock.unlock()
        if let cached { return (cached.base, cached) }
        let target = JSONSchemaURI.resolve(reference, against: base)
        guard let located = registry.lookup(target) else { return (target, nil) }
        lock.lock()
        resolved[key] = located
        lock.unlock()
        return (target, located)
    }
}
