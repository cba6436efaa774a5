import Foundation
import LGSPCore
import Yams

/// Reads a mapping file's YAML into endpoints and rules, checking every key, path, function and
/// catalogue reference as it goes.
///
/// Failure: `mapping.invalid` naming the file, the line and (inside `rules`) the rule number.
struct MappingParser {
    let yaml: YAMLSource
    let catalogues: CatalogueLibrary

    struct Parsed {
        var name: String?
        var description: String?
        var source: Mapping.Endpoint
        var target: Mapping.Endpoint
        var rules: [MappingRule]
    }

    func parse(_ text: String) throws(LGSPError) -> Parsed {
        let root = try yaml.root(text)
        let top = try yaml.members(root, allowed: ["name", "description", "source", "target", "rules"], what: "a mapping")
        guard let sourceNode = top["source"] else { throw yaml.invalid(root, "a mapping needs 'source' (format and schema of the input)") }
        guard let targetNode = top["target"] else { throw yaml.invalid(root, "a mapping needs 'target' (format and schema of the output)") }
        guard let rulesNode = top["rules"] else { throw yaml.invalid(root, "a mapping needs 'rules'") }
        let source = try endpoint(sourceNode, what: "source")
        let target = try endpoint(targetNode, what: "target")
        let context = Context(source: source, target: target)
        let rules = try self.rules(rulesNode, prefix: "", context: context)
        return Parsed(name: try top["name"].map { node throws(LGSPError) in try yaml.string(node, what: "name") },
                      description: top["description"]?.string, source: source, target: target, rules: rules)
    }

    struct Context {
        var source: Mapping.Endpoint
        var target: Mapping.Endpoint
    }

    func endpoint(_ node: Node, what: String) throws(LGSPError) -> Mapping.Endpoint {
        let members = try yaml.members(node, allowed: ["format", "schema", "namespaces"], what: "'\(what)'")
        guard let formatNode = members["format"] else { throw yaml.invalid(node, "'\(what)' needs a format (json or xml)") }
        let formatText = try yaml.string(formatNode, what: "format")
        guard let format = MappingFormat(rawValue: formatText) else {
            throw yaml.invalid(formatNode, "unknown format '\(formatText)' for \(what); use json or xml")
        }
        var namespaces: [String: String] = [:]
        if let namespacesNode = members["namespaces"] {
            guard case .object(let object) = try yaml.json(namespacesNode) else {
                throw yaml.invalid(namespacesNode, "namespaces must map prefixes to URIs")
            }
            for member in object {
                guard let uri = member.value.stringValue else { throw yaml.invalid(namespacesNode, "the namespace \(member.key) must be a URI") }
                namespaces[member.key] = uri
            }
        }
        let schema = try members["schema"].map { node throws(LGSPError) in try yaml.string(node, what: "schema") }
        return Mapping.Endpoint(format: format, schema: schema, namespaces: namespaces, line: node.mark?.line ?? 1)
    }

    func rules(_ node: Node, prefix: String, context: Context) throws(LGSPError) -> [MappingRule] {
        guard case .sequence(let sequence) = node else { throw yaml.invalid(node, "'rules' must be a list of rules") }
        var rules: [MappingRule] = []
        for (index, ruleNode) in sequence.enumerated() {
            rules.append(try rule(ruleNode, number: prefix + "\(index + 1)", context: context))
        }
        return rules
    }

    static let ruleKeys: Set<String> = [
        "target", "source", "value", "default", "required", "apply", "catalogue", "when", "for-each", "where", "rules", "note",
    ]

    func rule(_ node: Node, number: String, context: Context) throws(LGSPError) -> MappingRule {
        let members = try yaml.members(node, allowed: Self.ruleKeys, what: "a rule", rule: number)
        let line = node.mark?.line ?? 1
        guard let targetNode = members["target"] else { throw yaml.invalid(node, rule: number, "the rule has no 'target'") }
        let targetText = try yaml.string(targetNode, rule: number, what: "target")
        guard let target = TargetPath(targetText, format: context.target.format) else {
            throw yaml.invalid(targetNode, rule: number, "'\(targetText)' is not a valid \(context.target.format.rawValue) target path")
        }
        if context.target.format == .xml { try checkPrefixes(target, node: targetNode, rule: number, namespaces: context.target.namespaces) }
        let location = RuleLocation(file: yaml.file, line: line, rule: number, target: targetText)
        let condition = try members["when"].map { node throws(LGSPError) in try self.condition(node, rule: number, context: context) }

        if let forEachNode = members["for-each"] {
            for key in ["source", "value", "default", "apply", "catalogue", "required"] where members[key] != nil {
                throw yaml.invalid(forEachNode, rule: number, "a for-each rule cannot have '\(key)'; put it in one of its rules")
            }
            guard let nested = members["rules"] else { throw yaml.invalid(forEachNode, rule: number, "a for-each rule needs 'rules' that build each element") }
            let source = try sourcePath(forEachNode, rule: number, context: context)
            let filter = try members["where"].map { node throws(LGSPError) in try self.condition(node, rule: number, context: context) }
            let rules = try self.rules(nested, prefix: number + ".", context: context)
            return MappingRule(location: location, target: target, condition: condition,
                               kind: .forEach(.init(source: source, filter: filter, rules: rules)))
        }
        for key in ["where", "rules"] where members[key] != nil {
            throw yaml.invalid(node, rule: number, "'\(key)' belongs to for-each rules only")
        }
        var sources: [SourcePath] = []
        var sourceIsList = false
        if let sourceNode = members["source"] {
            if case .sequence(let list) = sourceNode {
                sourceIsList = true
                for element in list { sources.append(try sourcePath(element, rule: number, context: context)) }
            } else {
                sources = [try sourcePath(sourceNode, rule: number, context: context)]
            }
        }
        let constant = try members["value"].map { node throws(LGSPError) in try yaml.json(node, rule: number) }
        guard sources.isEmpty != (constant == nil) else {
            throw yaml.invalid(node, rule: number, sources.isEmpty ? "the rule needs 'source', 'value' or 'for-each'" : "the rule has both 'source' and 'value'; keep one")
        }
        var steps: [MappingFunction] = []
        if let applyNode = members["apply"] {
            guard case .sequence(let list) = applyNode else { throw yaml.invalid(applyNode, rule: number, "'apply' must be a list of functions") }
            for step in list { steps.append(try function(step, rule: number, context: context)) }
        }
        if let catalogueNode = members["catalogue"] {
            steps.append(.lookup(try lookup(catalogueNode, rule: number, context: context)))
        }
        let required: Bool
        if let requiredNode = members["required"] {
            guard let flag = requiredNode.bool else { throw yaml.invalid(requiredNode, rule: number, "'required' must be true or false") }
            required = flag
        } else {
            required = false
        }
        let defaultValue = try members["default"].map { node throws(LGSPError) in try yaml.json(node, rule: number) }
        return MappingRule(location: location, target: target, condition: condition, kind: .value(.init(
            sources: sources, sourceIsList: sourceIsList, constant: constant, steps: steps, defaultValue: defaultValue, required: required)))
    }

    func sourcePath(_ node: Node, rule: String, context: Context) throws(LGSPError) -> SourcePath {
        let text = try yaml.string(node, rule: rule, what: "a source path")
        do throws(LGSPError) {
            guard let path = try SourcePath.parse(text, format: context.source.format) else {
                throw yaml.invalid(node, rule: rule, "'\(text)' is not a valid source path (write a.b.c, /a/b/c or $.a for the root)")
            }
            return path
        } catch {
            throw error.code == .invalidMapping && error.details["line"] == nil ? yaml.invalid(node, rule: rule, error.message) : error
        }
    }

    func checkPrefixes(_ target: TargetPath, node: Node, rule: String, namespaces: [String: String]) throws(LGSPError) {
        for segment in target.segments {
            let name = segment.hasPrefix("@") ? String(segment.dropFirst()) : segment
            guard let colon = name.firstIndex(of: ":") else { continue }
            let prefix = String(name[..<colon])
            guard namespaces[prefix] != nil else {
                throw yaml.invalid(node, rule: rule, "the prefix '\(prefix)' in '\(target)' is not declared in target.namespaces")
            }
        }
    }
}
