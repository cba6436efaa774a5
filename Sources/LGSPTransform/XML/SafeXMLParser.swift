import CLibXML2
import Foundation
import LGSPCore

/// Parses XML with libxml2 safely: no entity substitution, no DTD (a `DOCTYPE` is refused as it
/// starts), no network, and the limits of `XMLParseLimits` checked while parsing.
///
/// Contract: returns a tree or throws `LGSPError` with `transform.unsafe_xml` (a `DOCTYPE`: where
/// XXE and entity bombs live), `transform.limit_exceeded` (size, depth, element count, attribute
/// count or length; `details.limit` names it) or `transform.malformed_content` (not well formed,
/// with the line). Stray bytes before the first `<` (seen in real edXML files) and a UTF-8 byte
/// order mark are skipped. Thread-safe: each call uses its own parser context.
public struct SafeXMLParser: Sendable {
    /// The bounds checked while parsing.
    public var limits: XMLParseLimits

    /// A parser enforcing `limits`.
    public init(limits: XMLParseLimits = .standard) {
        self.limits = limits
    }

    // STACK.md pitfall 4: NONET always; never NOENT, DTDLOAD or HUGE.
    static let options = Int32(XML_PARSE_NONET.rawValue | XML_PARSE_NOCDATA.rawValue | XML_PARSE_COMPACT.rawValue
        | XML_PARSE_NOERROR.rawValue | XML_PARSE_NOWARNING.rawValue)

    /// Parses a document held in memory; `name` (a file name) appears in error messages only.
    public func parse(_ data: Data, name: String = "document") throws(LGSPError) -> XMLTree {
        XMLLibrary.ensureInitialised()
        guard data.count <= limits.maxBytes else {
            throw LGSPError(.contentLimitExceeded, "the XML \(name) has \(data.count) bytes, more than the limit of \(limits.maxBytes)",
                details: ["limit": "maxBytes=\(limits.maxBytes)"])
        }
        let start = Self.firstMarkup(data)
        var guardState = lgsp_parse_guard(
            maxDepth: Int32(limits.maxDepth), maxAttributeLength: Int32(clamping: limits.maxAttributeLength),
            maxAttributes: Int32(limits.maxAttributes), maxElements: limits.maxElements, elements: 0,
            violation: Int32(LGSP_GUARD_NONE), line: 0)
        let outcome: Result<xmlDocPtr, LGSPError> = data.withUnsafeBytes { raw in
            let bytes = raw.bindMemory(to: CChar.self)
            guard let base = bytes.baseAddress, data.count > start else {
                return .failure(LGSPError(.malformedContent, "the XML \(name) is empty"))
            }
            guard let context = xmlCreateMemoryParserCtxt(base + start, Int32(data.count - start)) else {
                return .failure(LGSPError(.malformedContent, "the XML \(name) could not be read"))
            }
            defer { xmlFreeParserCtxt(context) }
            return withUnsafeMutablePointer(to: &guardState) { guardPointer in
                lgsp_install_guard(context, guardPointer)
                xmlCtxtUseOptions(context, Self.options)
                // Entities are never substituted; this also keeps libxml2's own amplification checks.
                context.pointee.replaceEntities = 0
                xmlParseDocument(context)
                context.pointee._private = nil
                let document = context.pointee.myDoc
                if let violation = refusal(guardPointer.pointee, name: name) {
                    if let document { xmlFreeDoc(document) }
                    return .failure(violation)
                }
                guard context.pointee.wellFormed != 0, let document else {
                    if let document { xmlFreeDoc(document) }
                    let (message, line) = XMLLibrary.describe(xmlCtxtGetLastError(context))
                    let at = line.map { " at line \($0)" } ?? ""
                    return .failure(LGSPError(.malformedContent, "the XML \(name) is not well formed\(at): \(message)",
                        details: line.map { ["line": "\($0)"] } ?? [:]))
                }
                return .success(document)
            }
        }
        return XMLTree(document: try outcome.get())
    }

    /// Parses a document given as a string.
    public func parse(_ text: String, name: String = "document") throws(LGSPError) -> XMLTree {
        try parse(Data(text.utf8), name: name)
    }

    private func refusal(_ state: lgsp_parse_guard, name: String) -> LGSPError? {
        let line = Int(state.line)
        let details = ["line": "\(line)"]
        switch Int(state.violation) {
        case LGSP_GUARD_DOCTYPE:
            return LGSPError(.unsafeXML, "the XML \(name) has a document type declaration (<!DOCTYPE) at line \(line); DTDs and entity declarations are refused (entity expansion, external entities)", details: details)
        case LGSP_GUARD_DEPTH:
            return LGSPError(.contentLimitExceeded, "the XML \(name) nests elements deeper than \(limits.maxDepth) levels (line \(line))",
                details: details.merging(["limit": "maxDepth=\(limits.maxDepth)"]) { $1 })
        case LGSP_GUARD_ELEMENT_COUNT:
            return LGSPError(.contentLimitExceeded, "the XML \(name) has more than \(limits.maxElements) elements (line \(line))",
                details: details.merging(["limit": "maxElements=\(limits.maxElements)"]) { $1 })
        case LGSP_GUARD_ATTRIBUTE_COUNT:
            return LGSPError(.contentLimitExceeded, "an element of the XML \(name) has more than \(limits.maxAttributes) attributes (line \(line))",
                details: details.merging(["limit": "maxAttributes=\(limits.maxAttributes)"]) { $1 })
        case LGSP_GUARD_ATTRIBUTE_LENGTH:
            return LGSPError(.contentLimitExceeded, "an attribute value of the XML \(name) is longer than \(limits.maxAttributeLength) bytes (line \(line))",
                details: details.merging(["limit": "maxAttributeLength=\(limits.maxAttributeLength)"]) { $1 })
        default:
            return nil
        }
    }

    /// The offset of the first `<` within the first 4 KiB (skips a BOM and stray bytes), else 0.
    static func firstMarkup(_ data: Data) -> Int {
        let limit = min(data.count, 4096)
        var offset = 0
        for byte in data.prefix(limit) {
            if byte == UInt8(ascii: "<") { return offset }
            offset += 1
        }
        return 0
    }
}
