import CLibXML2
import Foundation
import LGSPCore

/// A parsed (or built) XML document, owned by libxml2 and freed with this object.
///
/// Immutable once made: several threads may read it and evaluate XPath on it at once, each with its
/// own `XPathEvaluator`.
public final class XMLTree: @unchecked Sendable {
    let document: xmlDocPtr

    init(document: xmlDocPtr) {
        self.document = document
    }

    deinit { xmlFreeDoc(document) }

    /// The root element.
    public var root: XMLNodeRef? {
        xmlDocGetRootElement(document).map { XMLNodeRef(tree: self, pointer: $0) }
    }

    /// The document as UTF-8 XML with its declaration; `pretty` indents elements that hold no text.
    public func serialized(pretty: Bool = false) -> Data {
        var buffer: UnsafeMutablePointer<xmlChar>?
        var size: Int32 = 0
        xmlDocDumpFormatMemoryEnc(document, &buffer, &size, "UTF-8", pretty ? 1 : 0)
        guard let buffer else { return Data() }
        defer { lgsp_xml_free(buffer) }
        return Data(bytes: buffer, count: Int(size))
    }

    /// The document as a string (see `serialized(pretty:)`).
    public func string(pretty: Bool = false) -> String { String(decoding: serialized(pretty: pretty), as: UTF8.self) }

    /// The document in the JSON convention of `XMLWriter` (for comparisons and readable diffs).
    public var jsonValue: JSONValue {
        guard let root else { return .null }
        return .object(JSONObject([.init(key: root.name, value: root.jsonValue)]))
    }
}
