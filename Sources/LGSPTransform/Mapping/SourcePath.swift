import LGSPCore

/// Where a rule reads in the input: a `JSONPath` for JSON input, an XPath 1.0 expression for XML.
public enum SourcePath: Sendable, CustomStringConvertible {
    case json(JSONPath)
    case xpath(XPathExpression)

    public var description: String {
        switch self {
        case .json(let path): path.description
        case .xpath(let expression): expression.text
        }
    }

    /// Parses `text` as a path of `format`; nil (JSON) or `mapping.invalid` (XPath) when it is not one.
    static func parse(_ text: String, format: MappingFormat) throws(LGSPError) -> SourcePath? {
        switch format {
        case .json: JSONPath(text).map(SourcePath.json)
        case .xml: .xpath(try XPathExpression(text))
        }
    }
}
