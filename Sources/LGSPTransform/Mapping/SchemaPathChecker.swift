/// Checks that paths a mapping reads or writes exist in a JSON Schema (for `lgsp mapping check`).
///
/// A path step is known when a `properties` (through `$ref`, `allOf`, `anyOf`, `oneOf`, `then`,
/// `else`) declares it, a `patternProperties` matches it, or it indexes an array. An undeclared step
/// is an error where the schema is closed (`additionalProperties: false` or
/// `unevaluatedProperties: false`), a warning where it declares properties but stays open.
struct SchemaPathChecker {
    let registry: JSONSchemaRegistry

    enum Verdict: Equatable {
        case known
        case undeclared(step: String, closed: Bool)
    }

    typealias Located = JSONSchemaRegistry.Located

    /// The schema and the subschemas it applies in place.
    func views(_ located: [Located], depth: Int = 0) -> [Located] {
        guard depth < 16 else { return located }
        var result: [Located] = []
        for schema in located {
            guard case .object(let object) = schema.schema else { continue }
            result.append(schema)
            var more: [Located] = []
            var base = schema.base
            if case .string(let id)? = object["$id"] { base = JSONSchemaURI.resolve(id, against: base) }
            if case .string(let reference)? = object["$ref"],
               let target = registry.lookup(JSONSchemaURI.resolve(reference, against: base)) {
                more.append(target)
            }
            for key in ["allOf", "anyOf", "oneOf"] {
                for element in object[key]?.arrayValue ?? [] { more.append(Located(schema: element, base: base)) }
            }
            for key in ["then", "else"] { if let element = object[key] { more.append(Located(schema: element, base: base)) } }
            result += views(more, depth: depth + 1)
        }
        return result
    }

    /// The schemas of the elements of an array described by `located`.
    func items(_ located: [Located]) -> [Located] {
        views(located).flatMap { schema -> [Located] in
            guard case .object(let object) = schema.schema else { return [] }
            var result: [Located] = []
            if let items = object["items"] { result.append(Located(schema: items, base: schema.base)) }
            for element in object["prefixItems"]?.arrayValue ?? [] { result.append(Located(schema: element, base: schema.base)) }
            return result
        }
    }

    /// Follows `tokens` from `start`; returns the verdict and the schemas reached.
    func follow(_ tokens: [String], from start: [Located]) -> (Verdict, [Located]) {
        var current = start
        for token in tokens {
            let all = views(current)
            var next: [Located] = []
            var declaresProperties = false
            var closed = false
            for schema in all {
                guard case .object(let object) = schema.schema else { continue }
                if case .object(let properties)? = object["properties"] {
                    declaresProperties = true
                    if let property = properties[token] { next.append(Located(schema: property, base: schema.base)) }
                }
                if case .object(let patterns)? = object["patternProperties"] {
                    for pattern in patterns {
                        if let regex = try? PatternCache.shared.regex(pattern.key), PatternCache.matches(regex, token) {
                            next.append(Located(schema: pattern.value, base: schema.base))
                        }
                    }
                }
                if object["additionalProperties"] == .bool(false) || object["unevaluatedProperties"] == .bool(false) { closed = true }
                if let additional = object["additionalProperties"], additional != .bool(false), additional != .bool(true) {
                    next.append(Located(schema: additional, base: schema.base))
                }
            }
            if next.isEmpty, Int(token) != nil {
                next = items(current)
            }
            if next.isEmpty {
                if closed || declaresProperties { return (.undeclared(step: token, closed: closed), []) }
                return (.known, [])
            }
            current = next
        }
        return (.known, current)
    }
}
