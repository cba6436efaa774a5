import Foundation
import LGSPCore
import Yams

/// A YAML file being read into a mapping or a test file: its name for messages, and the helpers
/// that turn nodes into values and errors that point to a line.
struct YAMLSource {
    /// The file as messages name it (`mappings/citizen.mapping.yaml`).
    let file: String

    /// Parses the text into its root node.
    ///
    /// Failure: `mapping.invalid` with the line of the YAML syntax error.
    func root(_ text: String) throws(LGSPError) -> Node {
        do {
            guard let node = try Yams.compose(yaml: text) else { throw invalid(line: 1, "the file is empty") }
            return node
        } catch let error as LGSPError {
            throw error
        } catch let error as YamlError {
            throw invalid(line: Self.line(of: error) ?? 1, "YAML syntax error: \(Self.summary(error))")
        } catch {
            throw invalid(line: 1, "YAML syntax error: \(error)")
        }
    }

    /// A `mapping.invalid` error naming this file, the line and (when given) the rule.
    func invalid(line: Int, rule: String? = nil, _ message: String) -> LGSPError {
        let at = rule.map { "\(file):\(line): rule \($0): " } ?? "\(file):\(line): "
        var details = ["mapping": file, "line": "\(line)"]
        if let rule { details["rule"] = rule }
        return LGSPError(.invalidMapping, at + message, details: details)
    }

    func invalid(_ node: Node, rule: String? = nil, _ message: String) -> LGSPError {
        invalid(line: node.mark?.line ?? 1, rule: rule, message)
    }

    /// The members of a mapping node with their keys as strings; refuses keys not in `allowed`.
    func members(_ node: Node, allowed: Set<String>, what: String, rule: String? = nil) throws(LGSPError) -> [String: Node] {
        guard case .mapping(let mapping) = node else { throw invalid(node, rule: rule, "\(what) must be a mapping of keys to values") }
        var result: [String: Node] = [:]
        for (key, value) in mapping {
            guard let name = key.string else { throw invalid(key, rule: rule, "keys of \(what) must be text") }
            guard allowed.contains(name) else {
                throw invalid(key, rule: rule, "unknown key '\(name)' in \(what); allowed: \(allowed.sorted().joined(separator: ", "))")
            }
            result[name] = value
        }
        return result
    }

    /// The text of a scalar node.
    func string(_ node: Node, rule: String? = nil, what: String) throws(LGSPError) -> String {
        guard case .scalar(let scalar) = node else { throw invalid(node, rule: rule, "\(what) must be text") }
        return scalar.string
    }

    /// A YAML value as JSON (YAML 1.2 core types: quoted values stay strings, `01` unquoted is 1).
    func json(_ node: Node, rule: String? = nil) throws(LGSPError) -> JSONValue {
        switch node {
        case .scalar(let scalar):
            if scalar.style == .singleQuoted || scalar.style == .doubleQuoted || scalar.style == .literal || scalar.style == .folded {
                return .string(scalar.string)
            }
            switch Tag.Name(rawValue: node.tag.rawValue) {
            case .null: return .null
            case .bool: return node.bool.map(JSONValue.bool) ?? .string(scalar.string)
            case .int: return node.int.map { .number(Double($0)) } ?? .string(scalar.string)
            case .float: return node.float.map(JSONValue.number) ?? .string(scalar.string)
            default: return .string(scalar.string)
            }
        case .sequence(let sequence):
            var elements: [JSONValue] = []
            for element in sequence { elements.append(try json(element, rule: rule)) }
            return .array(elements)
        case .mapping(let mapping):
            var object = JSONObject()
            for (key, value) in mapping {
                guard let name = key.string else { throw invalid(key, rule: rule, "keys must be text") }
                object[name] = try json(value, rule: rule)
            }
            return .object(object)
        case .alias:
            throw invalid(node, rule: rule, "YAML aliases are not supported in mapping files")
        }
    }

    static func line(of error: YamlError) -> Int? {
        switch error {
        case .scanner(_, _, let mark, _), .parser(_, _, let mark, _), .composer(_, _, let mark, _):
            return mark.line
        default:
            return nil
        }
    }

    static func summary(_ error: YamlError) -> String {
        switch error {
        case .scanner(let context, let problem, _, _), .parser(let context, let problem, _, _), .composer(let context, let problem, _, _):
            return [context?.description, problem].compactMap { $0 }.joined(separator: " ")
        default:
            return "\(error)"
        }
    }
}
