import CLibXML2
import LGSPCore

/// Builds an XML document from a `JSONValue` in a simple convention, with namespace prefixes
/// emitted exactly as declared (a strict .NET consumer on the national side rejects edXML
/// elements without the `edXML:` prefix — NATIONAL-AXIS.md §3).
///
/// The convention: the value is an object with one member, the root element. In an element's
/// object, a key `@name` is an attribute, `#text` is text, any other key a child element (an array
/// value repeats it); a scalar value is an element holding that text; `null` members are left
/// out. A name `prefix:local` puts the node in the namespace bound to `prefix` by `namespaces`,
/// and the root element declares them all; the empty prefix binds the default namespace.
public struct XMLWriter: Sendable {
    /// Prefix → namespace URI, declared on the root element.
    public var namespaces: [String: String]

    /// A writer binding `namespaces`.
    public init(namespaces: [String: String] = [:]) {
        self.namespaces = namespaces
    }

    /// The document for `value`.
    ///
    /// Failure: `transform.rule_failed` when the value does not follow the convention (not one
    /// root member, an unbound prefix, an attribute holding an object).
    public func document(_ value: JSONValue) throws(LGSPError) -> XMLTree {
        XMLLibrary.ensureInitialised()
        guard case .object(let top) = value, top.count == 1, let rootMember = top.members.first else {
            throw LGSPError(.ruleFailed, "an XML output needs exactly one root element, got \(value.typeName == "object" ? "\(value.objectValue?.count ?? 0) members" : value.typeName)")
        }
        let document = xmlNewDoc("1.0")!
        let tree = XMLTree(document: document)
        let root = xmlNewDocNode(document, nil, rootMember.key.split(separator: ":").last.map(String.init) ?? rootMember.key, nil)!
        xmlDocSetRootElement(document, root)
        var bound: [String: xmlNsPtr] = [:]
        for (prefix, uri) in namespaces.sorted(by: { $0.key < $1.key }) {
            bound[prefix] = xmlNewNs(root, uri, prefix.isEmpty ? nil : prefix)
        }
        try assign(rootMember.key, to: root, bound: bound)
        try fill(root, with: rootMember.value, path: rootMember.key, bound: bound)
        return tree
    }

    private func split(_ name: String) -> (prefix: String?, local: String) {
        guard let colon = name.firstIndex(of: ":") else { return (nil, name) }
        return (String(name[..<colon]), String(name[name.index(after: colon)...]))
    }

    private func assign(_ name: String, to node: xmlNodePtr, bound: [String: xmlNsPtr]) throws(LGSPError) {
        let (prefix, _) = split(name)
        if let prefix {
            guard let namespace = bound[prefix] else {
                throw LGSPError(.ruleFailed, "the XML name \(name) uses the prefix \(prefix), which the mapping's namespaces do not bind")
            }
            xmlSetNs(node, namespace)
        } else if let namespace = bound[""] {
            xmlSetNs(node, namespace)
        }
    }

    private func fill(_ element: xmlNodePtr, with value: JSONValue, path: String, bound: [String: xmlNsPtr]) throws(LGSPError) {
        switch value {
        case .null: return
        case .array: throw LGSPError(.ruleFailed, "the XML element \(path) holds an array where one element is expected")
        case .object(let object):
            for member in object.members {
                if member.key == "#text" {
                    if let text = member.value.text { xmlNodeAddContent(element, text) }
                } else if member.key.hasPrefix("@") {
                    let name = String(member.key.dropFirst())
                    guard let text = member.value.text, member.value.objectValue == nil, member.value.arrayValue == nil else {
                        if member.value.isNull { continue }
                        throw LGSPError(.ruleFailed, "the XML attribute \(path)/\(member.key) must hold a scalar")
                    }
                    let (prefix, local) = split(name)
                    if let prefix {
                        guard let namespace = bound[prefix] else {
                            throw LGSPError(.ruleFailed, "the XML name \(name) uses the prefix \(prefix), which the mapping's namespaces do not bind")
                        }
                        xmlNewNsProp(element, namespace, local, text)
                    } else {
                        xmlNewProp(element, local, text)
                    }
                } else {
                    let items: [JSONValue] = member.value.arrayValue ?? [member.value]
                    for item in items where !item.isNull {
                        // Not xmlNewChild: with no namespace it would inherit the parent's.
                        let child = xmlNewDocNode(element.pointee.doc, nil, split(member.key).local, nil)!
                        xmlAddChild(element, child)
                        try assign(member.key, to: child, bound: bound)
                        try fill(child, with: item, path: path + "/" + member.key, bound: bound)
                    }
                }
            }
        default:
            if let text = value.text { xmlNodeAddContent(element, text) }
        }
    }
}
