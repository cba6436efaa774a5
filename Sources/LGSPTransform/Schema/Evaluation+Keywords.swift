import Foundation
import LGSPCore

extension Evaluation {
    /// Evaluates every keyword of one schema object; `unevaluated*` last, as they read the
    /// annotations of their siblings.
    mutating func evaluateObject(_ schema: JSONObject, base: String, instance: JSONValue, path: String, scope: [String]) throws(LGSPError) -> (Bool, Annotations) {
        var scope = scope
        let resource = JSONSchemaURI.stripFragment(base)
        if scope.last != resource { scope.append(resource) }
        var valid = true
        var annotations = Annotations()

        if case .string(let reference)? = schema["$ref"] {
            let located = try resolve(reference, base: base)
            let (ok, found) = try evaluate(located.schema, base: located.base, instance: instance, path: path, scope: scope)
            if ok { annotations.merge(found) } else { valid = false }
        }
        if case .string(let reference)? = schema["$dynamicRef"] {
            let located = try resolveDynamic(reference, base: base, scope: scope)
            let (ok, found) = try evaluate(located.schema, base: located.base, instance: instance, path: path, scope: scope)
            if ok { annotations.merge(found) } else { valid = false }
        }
        if assertValidation, !checkValidation(schema, instance: instance, path: path) { valid = false }
        let (applied, found) = try applyInPlace(schema, base: base, instance: instance, path: path, scope: scope)
        if applied { annotations.merge(found) } else { valid = false }
        switch instance {
        case .array(let items):
            let (ok, found) = try applyToItems(schema, items: items, base: base, path: path, scope: scope)
            if ok { annotations.merge(found) } else { valid = false }
        case .object(let members):
            let (ok, found) = try applyToProperties(schema, members: members, base: base, path: path, scope: scope)
            if ok { annotations.merge(found) } else { valid = false }
        default: break
        }

        if let unevaluated = schema["unevaluatedItems"], case .array(let items) = instance, !annotations.allItems {
            var allValid = true
            for index in items.indices where index >= annotations.prefixItems && !annotations.itemIndices.contains(index) {
                let (ok, _) = try evaluate(unevaluated, base: base, instance: items[index], path: path + "/\(index)", scope: scope)
                if !ok { allValid = false }
            }
            if allValid { annotations.allItems = true } else { valid = false }
        }
        if let unevaluated = schema["unevaluatedProperties"], case .object(let members) = instance {
            var allValid = true
            for member in members where !annotations.properties.contains(member.key) {
                let (ok, _) = try evaluate(unevaluated, base: base, instance: member.value, path: path + "/" + JSONSchemaURI.escape(member.key), scope: scope)
                if ok { annotations.properties.insert(member.key) } else { allValid = false }
            }
            if !allValid { valid = false }
        }
        return (valid, annotations)
    }

    func resolve(_ reference: String, base: String) throws(LGSPError) -> JSONSchemaRegistry.Located {
        let (target, found) = references.located(reference, base: base, registry: registry)
        guard let located = found else {
            throw LGSPError(.invalidSchema, "the JSON Schema reference \(reference) (\(target)) names no known schema; only local documents can be referenced")
        }
        return located
    }

    /// 2020-12 core §8.2.3.2: a `$dynamicRef` whose initial target holds the matching
    /// `$dynamicAnchor` resolves to the outermost resource in the dynamic scope that declares it.
    func resolveDynamic(_ reference: String, base: String, scope: [String]) throws(LGSPError) -> JSONSchemaRegistry.Located {
        let target = JSONSchemaURI.resolve(reference, against: base)
        let located = try resolve(reference, base: base)
        guard let fragment = JSONSchemaURI.fragment(target), !fragment.isEmpty, JSONSchemaURI.pointerTokens(fragment) == nil,
              case .object(let object) = located.schema, object["$dynamicAnchor"]?.stringValue == fragment else { return located }
        for resource in scope {
            if let dynamic = registry.dynamicAnchors[resource + "#" + fragment] { return dynamic }
        }
        return located
    }

    /// allOf, anyOf, oneOf, not, if/then/else, dependentSchemas.
    mutating func applyInPlace(_ schema: JSONObject, base: String, instance: JSONValue, path: String, scope: [String]) throws(LGSPError) -> (Bool, Annotations) {
        var valid = true
        var annotations = Annotations()
        if case .array(let all)? = schema["allOf"] {
            for subschema in all {
                let (ok, found) = try evaluate(subschema, base: base, instance: instance, path: path, scope: scope)
                if ok { annotations.merge(found) } else { valid = false }
            }
        }
        if case .array(let any)? = schema["anyOf"] {
            var matched = false
            for subschema in any {
                let (ok, found) = try probe(subschema, base: base, instance: instance, path: path, scope: scope)
                if ok { matched = true; annotations.merge(found) }
            }
            if !matched {
                fail(path, "anyOf", "matches none of the \(any.count) alternatives")
                valid = false
            }
        }
        if case .array(let one)? = schema["oneOf"] {
            var matches = 0
            var kept = Annotations()
            for subschema in one {
                let (ok, found) = try probe(subschema, base: base, instance: instance, path: path, scope: scope)
                if ok { matches += 1; kept = found }
            }
            if matches == 1 {
                annotations.merge(kept)
            } else {
                fail(path, "oneOf", "matches \(matches) of the \(one.count) alternatives, exactly one is required")
                valid = false
            }
        }
        if let not = schema["not"] {
            let (ok, _) = try probe(not, base: base, instance: instance, path: path, scope: scope)
            if ok {
                fail(path, "not", "matches a schema it must not match")
                valid = false
            }
        }
        if let condition = schema["if"] {
            let (holds, found) = try probe(condition, base: base, instance: instance, path: path, scope: scope)
            if holds {
                annotations.merge(found)
                if let then = schema["then"] {
                    let (ok, more) = try evaluate(then, base: base, instance: instance, path: path, scope: scope)
                    if ok { annotations.merge(more) } else { valid = false }
                }
            } else if let otherwise = schema["else"] {
                let (ok, more) = try evaluate(otherwise, base: base, instance: instance, path: path, scope: scope)
                if ok { annotations.merge(more) } else { valid = false }
            }
        }
        if case .object(let dependents)? = schema["dependentSchemas"], case .object(let members) = instance {
            for dependent in dependents where members[dependent.key] != nil {
                let (ok, found) = try evaluate(dependent.value, base: base, instance: instance, path: path, scope: scope)
                if ok { annotations.merge(found) } else { valid = false }
            }
        }
        return (valid, annotations)
    }

    /// prefixItems, items, contains (with minContains/maxContains).
    mutating func applyToItems(_ schema: JSONObject, items: [JSONValue], base: String, path: String, scope: [String]) throws(LGSPError) -> (Bool, Annotations) {
        var valid = true
        var annotations = Annotations()
        var prefixCount = 0
        if case .array(let prefix)? = schema["prefixItems"] {
            prefixCount = min(prefix.count, items.count)
            for index in 0..<prefixCount {
                let (ok, _) = try evaluate(prefix[index], base: base, instance: items[index], path: path + "/\(index)", scope: scope)
                if !ok { valid = false }
            }
            annotations.prefixItems = prefixCount
        }
        if let itemSchema = schema["items"] {
            for index in items.indices where index >= prefixCount {
                let (ok, _) = try evaluate(itemSchema, base: base, instance: items[index], path: path + "/\(index)", scope: scope)
                if !ok { valid = false }
            }
            annotations.allItems = true
        }
        if let contains = schema["contains"] {
            var matched: Set<Int> = []
            for index in items.indices {
                let (ok, _) = try probe(contains, base: base, instance: items[index], path: path + "/\(index)", scope: scope)
                if ok { matched.insert(index) }
            }
            annotations.itemIndices = matched
            let minimum = assertValidation ? (schema["minContains"]?.numberValue).map { Int($0) } ?? 1 : 1
            if matched.count < minimum {
                fail(path, "contains", minimum == 1 ? "contains no item matching the required schema" : "contains \(matched.count) matching items, at least \(minimum) required")
                valid = false
            }
            if assertValidation, let maximum = schema["maxContains"]?.numberValue, Double(matched.count) > maximum {
                fail(path, "maxContains", "contains \(matched.count) matching items, at most \(Int(maximum)) allowed")
                valid = false
            }
        }
        return (valid, annotations)
    }

    /// properties, patternProperties, additionalProperties, propertyNames.
    mutating func applyToProperties(_ schema: JSONObject, members: JSONObject, base: String, path: String, scope: [String]) throws(LGSPError) -> (Bool, Annotations) {
        var valid = true
        var annotations = Annotations()
        let properties = schema["properties"]?.objectValue
        var patterns: [(NSRegularExpression, JSONValue)] = []
        if case .object(let patternMap)? = schema["patternProperties"] {
            for entry in patternMap { patterns.append((try PatternCache.shared.regex(entry.key), entry.value)) }
        }
        for member in members {
            let memberPath = path + "/" + JSONSchemaURI.escape(member.key)
            var covered = false
            if let subschema = properties?[member.key] {
                covered = true
                let (ok, _) = try evaluate(subschema, base: base, instance: member.value, path: memberPath, scope: scope)
                if ok { annotations.properties.insert(member.key) } else { valid = false }
            }
            for (regex, subschema) in patterns where PatternCache.matches(regex, member.key) {
                covered = true
                let (ok, _) = try evaluate(subschema, base: base, instance: member.value, path: memberPath, scope: scope)
                if ok { annotations.properties.insert(member.key) } else { valid = false }
            }
            if !covered, let additional = schema["additionalProperties"] {
                if additional == .bool(false) {
                    fail(memberPath, "additionalProperties", "the member \(member.key) is not allowed")
                    valid = false
                } else {
                    let (ok, _) = try evaluate(additional, base: base, instance: member.value, path: memberPath, scope: scope)
                    if ok { annotations.properties.insert(member.key) } else { valid = false }
                }
            }
            if let names = schema["propertyNames"] {
                let (ok, _) = try evaluate(names, base: base, instance: .string(member.key), path: memberPath, scope: scope)
                if !ok { valid = false }
            }
        }
        return (valid, annotations)
    }
}
