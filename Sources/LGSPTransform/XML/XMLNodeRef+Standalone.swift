import CLibXML2
import Foundation

extension XMLNodeRef {
    /// This element (with its descendants) as a document of its own, UTF-8 with a declaration;
    /// namespaces declared on its ancestors are declared again on it, so prefixes stay bound.
    public func standaloneDocument() -> Data {
        guard let document = xmlNewDoc("1.0") else { return Data() }
        let tree = XMLTree(document: document)
        if let copy = xmlDocCopyNode(pointer, document, 1) {
            xmlDocSetRootElement(document, copy)
            xmlReconciliateNs(document, copy)
        }
        return tree.serialized()
    }
}
