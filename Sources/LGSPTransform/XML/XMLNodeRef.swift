import CLibXML2
import LGSPCore

/// A node of an `XMLTree` (element, attribute or text), valid while the tree lives (it keeps it).
public struct XMLNodeRef: @unchecked Sendable {
    /// The document the node belongs to (kept alive by the reference).
    public let tree: XMLTree
    let pointer: xmlNodePtr

    init(tree: XMLTree, pointer: xmlNodePtr) {
        self.tree = tree
        self.pointer = pointer
    }

    /// True for an element node.
    public var isElement: Bool { pointer.pointee.type == XML_ELEMENT_NODE }

    /// The local name (no prefix).
    public var localName: String { XMLLibrary.string(pointer.pointee.name) ?? "" }

    /// The prefix as written, if any.
    public var prefix: String? {
        guard pointer.pointee.type == XML_ELEMENT_NODE || pointer.pointee.type == XML_ATTRIBUTE_NODE,
              let namespace = pointer.pointee.ns else { return nil }
        return XMLLibrary.string(namespace.pointee.prefix)
    }

    /// The qualified name as written (`edXML:From`).
    public var name: String { prefix.map { "\($0):\(localName)" } ?? localName }

    /// The namespace URI, if the node is in one.
    public var namespaceURI: String? {
        guard pointer.pointee.type == XML_ELEMENT_NODE || pointer.pointee.type == XML_ATTRIBUTE_NODE,
              let namespace = pointer.pointee.ns else { return nil }
        return XMLLibrary.string(namespace.pointee.href)
    }

    /// The XPath string value: all descendant text, concatenated.
    public var text: String { XMLLibrary.take(xmlNodeGetContent(pointer)) ?? "" }

    /// The line of the node in the source document (0 for built documents).
    public var line: Int { Int(xmlGetLineNo(pointer)) }

    /// The attributes of an element, in document order, with qualified names.
    public var attributes: [(name: String, value: String)] {
        guard isElement else { return [] }
        var result: [(String, String)] = []
        var attribute = pointer.pointee.properties
        while let current = attribute {
            let node = XMLNodeRef(tree: tree, pointer: UnsafeMutableRawPointer(current).assumingMemoryBound(to: xmlNode.self))
            result.append((node.name, node.text))
            attribute = current.pointee.next
        }
        return result
    }

    /// The child elements, in document order.
    public var children: [XMLNodeRef] {
        var result: [XMLNodeRef] = []
        var child = pointer.pointee.children
        while let current = child {
            if current.pointee.type == XML_ELEMENT_NODE { result.append(XMLNodeRef(tree: tree, pointer: current)) }
            child = current.pointee.next
        }
        return result
    }

    /// The element in the JSON convention of `XMLWriter`: attributes as `@name`, child elements by
    /// qualified name (repeated ones as arrays), text as a string when there is nothing else, or as
    /// `#text` beside attributes and children.
    public var jsonValue: JSONValue {
        let attributes = self.attributes
        let children = self.children
        if attributes.isEmpty && children.isEmpty { return .string(text) }
        var object = JSONObject()
        for attribute in attributes where !attribute.name.hasPrefix("xmlns") {
            object["@" + attribute.name] = .string(attribute.value)
        }
        for child in children {
            let value = child.jsonValue
            switch object[child.name] {
            case nil: object[child.name] = value
            case .array(var list)?: list.append(value); object[child.name] = .array(list)
            case let existing?: object[child.name] = .array([existing, value])
            }
        }
        if children.isEmpty {
            let content = text.trimmingCharacters(in: .whitespacesAndNewlines)
            if !content.isEmpty { object["#text"] = .string(content) }
        }
        return .object(object)
    }
}
