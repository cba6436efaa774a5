import CLibXML2
import LGSPCore

/// An XPath 1.0 expression compiled once (when a mapping loads) and evaluated many times.
///
/// Contract: `init` throws `mapping.invalid` with libxml2's reason when the expression does not
/// compile. Prefixes used in the expression are bound by the `namespaces` of the evaluator.
public final class XPathExpression: @unchecked Sendable {
    /// The source text.
    public let text: String
    let compiled: xmlXPathCompExprPtr

    /// Compiles `text`.
    public init(_ text: String) throws(LGSPError) {
        XMLLibrary.ensureInitialised()
        let collector = XMLErrorCollector()
        xmlSetStructuredErrorFunc(Unmanaged.passUnretained(collector).toOpaque(), XMLErrorCollector.callback)
        let compiled = xmlXPathCompile(text)
        lgsp_silence_thread_errors()
        guard let compiled else {
            let reason = collector.messages.first ?? "invalid expression"
            throw LGSPError(.invalidMapping, "the XPath expression '\(text)' does not compile: \(reason)")
        }
        self.text = text
        self.compiled = compiled
    }

    deinit { xmlXPathFreeCompExpr(compiled) }
}

/// The result of an XPath evaluation.
public enum XPathResult {
    case nodes([XMLNodeRef])
    case string(String)
    case number(Double)
    case boolean(Bool)
}

/// Evaluates XPath expressions on one tree; one evaluator per thread (it holds a libxml2 context).
public final class XPathEvaluator {
    let tree: XMLTree
    let context: xmlXPathContextPtr
    let collector = XMLErrorCollector()

    /// An evaluator binding `namespaces` (prefix → URI) for the expressions it evaluates.
    public init(tree: XMLTree, namespaces: [String: String]) {
        XMLLibrary.ensureInitialised()
        self.tree = tree
        context = xmlXPathNewContext(tree.document)
        for (prefix, uri) in namespaces where !prefix.isEmpty { xmlXPathRegisterNs(context, prefix, uri) }
        context.pointee.error = XMLErrorCollector.callback
        context.pointee.userData = Unmanaged.passUnretained(collector).toOpaque()
    }

    deinit { xmlXPathFreeContext(context) }

    /// Evaluates `expression` with `node` (default: the document) as the context node.
    ///
    /// Failure: `transform.rule_failed` with libxml2's reason (an unbound prefix, a type error).
    public func evaluate(_ expression: XPathExpression, at node: XMLNodeRef? = nil) throws(LGSPError) -> XPathResult {
        context.pointee.node = node?.pointer ?? UnsafeMutableRawPointer(tree.document).assumingMemoryBound(to: xmlNode.self)
        collector.messages.removeAll()
        guard let object = xmlXPathCompiledEval(expression.compiled, context) else {
            let reason = collector.messages.first ?? "evaluation failed"
            throw LGSPError(.ruleFailed, "the XPath expression '\(expression.text)' cannot be evaluated: \(reason)")
        }
        defer { xmlXPathFreeObject(object) }
        switch object.pointee.type {
        case XPATH_NODESET:
            let count = Int(lgsp_xpath_node_count(object))
            var nodes: [XMLNodeRef] = []
            nodes.reserveCapacity(count)
            for index in 0..<count { nodes.append(XMLNodeRef(tree: tree, pointer: lgsp_xpath_node(object, Int32(index)))) }
            return .nodes(nodes)
        case XPATH_BOOLEAN: return .boolean(object.pointee.boolval != 0)
        case XPATH_NUMBER: return .number(object.pointee.floatval)
        case XPATH_STRING: return .string(XMLLibrary.string(object.pointee.stringval) ?? "")
        default:
            throw LGSPError(.ruleFailed, "the XPath expression '\(expression.text)' gives a result that is not a node-set, string, number or boolean")
        }
    }
}
