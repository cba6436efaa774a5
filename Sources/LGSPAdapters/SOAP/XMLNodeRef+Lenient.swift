import LGSPTransform

extension XMLNodeRef {
    /// The first child element with this local name, whatever its prefix or namespace.
    func child(_ localName: String) -> XMLNodeRef? {
        children.first { $0.localName == localName }
    }

    /// Every child element with this local name.
    func children(_ localName: String) -> [XMLNodeRef] {
        children.filter { $0.localName == localName }
    }

    /// The first descendant element (depth first, self excluded) with this local name.
    func descendant(_ localName: String, maxDepth: Int = 8) -> XMLNodeRef? {
        guard maxDepth > 0 else { return nil }
        for child in children {
            if child.localName == localName { return child }
            if let found = child.descendant(localName, maxDepth: maxDepth - 1) { return found }
        }
        return nil
    }

    /// The element's text with surrounding white space removed; nil when empty.
    var trimmedText: String? {
        let value = text.trimmingCharacters(in: .whitespacesAndNewlines)
        return value.isEmpty ? nil : value
    }

    /// The value of the attribute with this local name (any prefix).
    func attribute(_ localName: String) -> String? {
        attributes.first { $0.name == localName || $0.name.hasSuffix(":" + localName) }?.value
    }
}
