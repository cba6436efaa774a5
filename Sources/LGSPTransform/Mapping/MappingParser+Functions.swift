import Foundation
import LGSPCore
import Yams

extension MappingParser {
    /// One `apply` step: a name (`trim`) or a one-key mapping with its argument (`date: {…}`).
    func function(_ node: Node, rule: String, context: Context) throws(LGSPError) -> MappingFunction {
        let name: String
        let argument: Node?
        switch node {
        case .scalar(let scalar):
            name = scalar.string
            argument = nil
        case .mapping(let mapping) where mapping.count == 1:
            guard let key = mapping.first?.key.string else { throw yaml.invalid(node, rule: rule, "a function name must be text") }
            name = key
            argument = mapping.first?.value
        default:
            throw yaml.invalid(node, rule: rule, "a function is a name (trim) or a name with its argument (date: {from: dd/MM/yyyy, to: iso})")
        }
        func needs(_ what: String) throws(LGSPError) -> Node {
            guard let argument else { throw yaml.invalid(node, rule: rule, "the function \(name) needs \(what)") }
            return argument
        }
        switch name {
        case "trim": return .trim
        case "upper": return .upper
        case "lower": return .lower
        case "capitalize": return .capitalize
        case "collapse-spaces": return .collapseSpaces
        case "nfc": return .nfc
        case "remove-diacritics": return .removeDiacritics
        case "string": return .string
        case "number": return .number
        case "integer": return .integer
        case "boolean": return .boolean
        case "first": return .first
        case "join": return .join(argument.flatMap(\.string) ?? " ")
        case "split": return .split(try yaml.string(try needs("a separator"), rule: rule, what: "the separator"))
        case "date":
            let members = try yaml.members(try needs("from and to"), allowed: ["from", "to"], what: "date", rule: rule)
            guard let fromNode = members["from"], let toNode = members["to"] else {
                throw yaml.invalid(node, rule: rule, "date needs 'from' (a pattern or a list of patterns) and 'to'")
            }
            let fromTexts: [String]
            if case .sequence(let list) = fromNode { fromTexts = list.compactMap(\.string) } else { fromTexts = [try yaml.string(fromNode, rule: rule, what: "from")] }
            var patterns: [DatePattern] = []
            for text in fromTexts {
                guard let pattern = DatePattern(text) else { throw yaml.invalid(fromNode, rule: rule, "'\(text)' is not a date pattern (use dd, MM, yyyy, HH, mm, ss)") }
                patterns.append(pattern)
            }
            let toText = try yaml.string(toNode, rule: rule, what: "to")
            guard let to = DatePattern(toText) else { throw yaml.invalid(toNode, rule: rule, "'\(toText)' is not a date pattern") }
            return .date(from: patterns, to: to)
        case "name":
            let partText = try yaml.string(try needs("a part (family, middle, given, middle-given)"), rule: rule, what: "the part")
            guard let part = VietnameseName.Part(rawValue: partText) else {
                throw yaml.invalid(node, rule: rule, "unknown name part '\(partText)'; use family, middle, given or middle-given")
            }
            return .name(part)
        case "pad":
            let argumentNode = try needs("a width")
            if let width = argumentNode.int { return .pad(width: width, character: "0") }
            let members = try yaml.members(argumentNode, allowed: ["width", "with"], what: "pad", rule: rule)
            guard let width = members["width"]?.int else { throw yaml.invalid(argumentNode, rule: rule, "pad needs a whole-number width") }
            let with = members["with"]?.string ?? "0"
            guard with.count == 1, let character = with.first else { throw yaml.invalid(argumentNode, rule: rule, "pad 'with' must be one character") }
            return .pad(width: width, character: character)
        case "replace":
            let members = try yaml.members(try needs("pattern and with"), allowed: ["pattern", "with"], what: "replace", rule: rule)
            guard let pattern = members["pattern"]?.string, let with = members["with"]?.string else {
                throw yaml.invalid(node, rule: rule, "replace needs 'pattern' (a regular expression) and 'with'")
            }
            do { return .replace(try RegexBox(pattern), with: with) } catch {
                throw yaml.invalid(node, rule: rule, "the regular expression '\(pattern)' does not compile")
            }
        case "map":
            return try valueMap(try needs("a table of values"), rule: rule)
        case "catalogue":
            return .lookup(try lookup(try needs("a catalogue name"), rule: rule, context: context))
        default:
            throw yaml.invalid(node, rule: rule, "unknown function '\(name)'; known: \(MappingFunction.names.joined(separator: ", "))")
        }
    }

    /// `map: {A: x, B: y}` or `map: {values: {A: x}, unknown: pass}`.
    func valueMap(_ node: Node, rule: String) throws(LGSPError) -> MappingFunction {
        guard case .object(let object) = try yaml.json(node, rule: rule) else { throw yaml.invalid(node, rule: rule, "map needs a table of values") }
        if case .object(let values)? = object["values"] {
            var unknown = UnknownValuePolicy.fail
            if case .mapping(let mapping) = node, let unknownNode = mapping["unknown"] { unknown = try policy(unknownNode, rule: rule) }
            return .map(values: Dictionary(values.members.map { ($0.key, $0.value) }, uniquingKeysWith: { $1 }), unknown: unknown)
        }
        return .map(values: Dictionary(object.members.map { ($0.key, $0.value) }, uniquingKeysWith: { $1 }), unknown: .fail)
    }

    /// `fail`, `pass` or `{default: V}`.
    func policy(_ node: Node, rule: String) throws(LGSPError) -> UnknownValuePolicy {
        if let text = node.string, case .scalar = node {
            switch text {
            case "fail": return .fail
            case "pass": return .pass
            default: break
            }
        }
        if case .mapping = node {
            let members = try yaml.members(node, allowed: ["default"], what: "unknown", rule: rule)
            if let value = members["default"] { return .replace(try yaml.json(value, rule: rule)) }
        }
        throw yaml.invalid(node, rule: rule, "unknown must be fail, pass or {default: VALUE}")
    }

    /// `catalogue: NAME` or `catalogue: {name:, match:, return:, unknown:, ambiguous:}`.
    func lookup(_ node: Node, rule: String, context: Context) throws(LGSPError) -> CatalogueLookup {
        var lookup = CatalogueLookup(catalogue: "", match: "code", result: "code", unknown: .fail, ambiguous: .fail)
        var hintColumn: String? = nil
        if case .scalar(let scalar) = node {
            lookup.catalogue = scalar.string
        } else {
            let members = try yaml.members(node, allowed: ["name", "match", "return", "unknown", "ambiguous"], what: "catalogue", rule: rule)
            guard let name = members["name"]?.string else { throw yaml.invalid(node, rule: rule, "catalogue needs 'name'") }
            lookup.catalogue = name
            if let match = members["match"]?.string { lookup.match = match }
            if let result = members["return"]?.string { lookup.result = result }
            if let unknown = members["unknown"] { lookup.unknown = try policy(unknown, rule: rule) }
            if let ambiguous = members["ambiguous"] {
                switch ambiguous.string {
                case "fail"?: lookup.ambiguous = .fail
                case "all"?: lookup.ambiguous = .all
                default:
                    let hint = try yaml.members(ambiguous, allowed: ["hint", "column"], what: "ambiguous", rule: rule)
                    guard let hintNode = hint["hint"] else { throw yaml.invalid(ambiguous, rule: rule, "ambiguous must be fail, all or {hint: SOURCE, column: COLUMN}") }
                    let column = hint["column"]?.string ?? "name"
                    hintColumn = column
                    lookup.ambiguous = .hint(source: try sourcePath(hintNode, rule: rule, context: context), column: column)
                }
            }
        }
        guard let catalogue = catalogues[lookup.catalogue] else {
            throw LGSPError(.missingMappingFile, "\(yaml.file):\(node.mark?.line ?? 1): rule \(rule): the catalogue '\(lookup.catalogue)' does not exist (mappings/catalogues/\(lookup.catalogue).csv); known: \(catalogues.catalogues.keys.sorted().joined(separator: ", "))",
                details: ["mapping": yaml.file, "line": "\(node.mark?.line ?? 1)", "rule": rule, "catalogue": lookup.catalogue])
        }
        for column in [lookup.match, lookup.result] + (hintColumn.map { [$0] } ?? []) where !catalogue.hasColumn(column) {
            throw yaml.invalid(node, rule: rule, "the catalogue \(lookup.catalogue) has no column '\(column)'; its columns: \(catalogue.columns.joined(separator: ", "))")
        }
        return lookup
    }

    /// A `when` or `where` condition.
    func condition(_ node: Node, rule: String, context: Context) throws(LGSPError) -> MappingCondition {
        let members = try yaml.members(node, allowed: ["source", "exists", "equals", "in", "matches", "not", "all", "any"], what: "a condition", rule: rule)
        if let inner = members["not"] { return .not(try condition(inner, rule: rule, context: context)) }
        for key in ["all", "any"] {
            guard let listNode = members[key] else { continue }
            guard case .sequence(let list) = listNode else { throw yaml.invalid(listNode, rule: rule, "'\(key)' must be a list of conditions") }
            var conditions: [MappingCondition] = []
            for element in list { conditions.append(try condition(element, rule: rule, context: context)) }
            return key == "all" ? .all(conditions) : .any(conditions)
        }
        guard let sourceNode = members["source"] else {
            throw yaml.invalid(node, rule: rule, "a condition needs 'source' with exists, equals, in or matches; or not, all, any")
        }
        let path = try sourcePath(sourceNode, rule: rule, context: context)
        if let equals = members["equals"] { return .equals(path, try yaml.json(equals, rule: rule)) }
        if let list = members["in"] {
            guard case .array(let values) = try yaml.json(list, rule: rule) else { throw yaml.invalid(list, rule: rule, "'in' must be a list of values") }
            return .oneOf(path, values)
        }
        if let pattern = members["matches"]?.string {
            do { return .matches(path, try RegexBox(pattern)) } catch {
                throw yaml.invalid(node, rule: rule, "the regular expression '\(pattern)' does not compile")
            }
        }
        return .exists(path, members["exists"]?.bool ?? true)
    }
}
