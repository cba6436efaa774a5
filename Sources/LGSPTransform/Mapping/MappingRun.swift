import LGSPCore

/// One conversion in progress: the input it reads, the catalogues it looks codes up in.
struct MappingRun {
    /// Where paths are read from: the document root and the current item of a for-each.
    enum Context {
        case json(root: JSONValue, current: JSONValue)
        case xml(evaluator: XPathEvaluator, current: XMLNodeRef?)
    }

    let catalogues: CatalogueLibrary

    /// The value at `path`: nil when absent or null. XML node-sets give their text (one node) or an
    /// array of texts (several nodes).
    func read(_ path: SourcePath, in context: Context, at location: RuleLocation) throws(LGSPError) -> JSONValue? {
        switch (path, context) {
        case (.json(let jsonPath), .json(let root, let current)):
            let value = jsonPath.resolve(root: root, current: current)
            return value == .null ? nil : value
        case (.xpath(let expression), .xml(let evaluator, let current)):
            let result: XPathResult
            do { result = try evaluator.evaluate(expression, at: current) } catch { throw location.error(error.code, error.message) }
            switch result {
            case .nodes(let nodes):
                if nodes.isEmpty { return nil }
                if nodes.count == 1 { return .string(nodes[0].text) }
                return .array(nodes.map { .string($0.text) })
            case .string(let text): return .string(text)
            case .number(let number): return number.isNaN ? nil : .number(number)
            case .boolean(let flag): return .bool(flag)
            }
        default:
            throw location.error(.internalError, "the source path \(path) does not fit the input format")
        }
    }

    /// The items a for-each iterates: the elements of a JSON array (a single value counts as one
    /// item, a missing one as none), or the nodes an XPath selects.
    func items(_ path: SourcePath, in context: Context, at location: RuleLocation) throws(LGSPError) -> [Context] {
        switch (path, context) {
        case (.json(let jsonPath), .json(let root, let current)):
            switch jsonPath.resolve(root: root, current: current) {
            case nil, .null?: return []
            case .array(let elements)?: return elements.map { .json(root: root, current: $0) }
            case let value?: return [.json(root: root, current: value)]
            }
        case (.xpath(let expression), .xml(let evaluator, let current)):
            let result: XPathResult
            do { result = try evaluator.evaluate(expression, at: current) } catch { throw location.error(error.code, error.message) }
            guard case .nodes(let nodes) = result else {
                throw location.error(.ruleFailed, "for-each needs an XPath that selects nodes; '\(expression.text)' gives a single value")
            }
            return nodes.map { .xml(evaluator: evaluator, current: $0) }
        default:
            throw location.error(.internalError, "the source path \(path) does not fit the input format")
        }
    }

    /// Whether `condition` holds in `context`.
    func holds(_ condition: MappingCondition, in context: Context, at location: RuleLocation) throws(LGSPError) -> Bool {
        switch condition {
        case .exists(let path, let expected):
            let value = try read(path, in: context, at: location)
            let present = value != nil && value != .string("")
            return present == expected
        case .equals(let path, let expected):
            guard let value = try read(path, in: context, at: location) else { return expected == .null }
            return Self.same(value, expected)
        case .oneOf(let path, let options):
            guard let value = try read(path, in: context, at: location) else { return options.contains(.null) }
            return options.contains { Self.same(value, $0) }
        case .matches(let path, let regex):
            guard let text = try read(path, in: context, at: location)?.text else { return false }
            return PatternCache.matches(regex.regex, text)
        case .not(let inner):
            return try !holds(inner, in: context, at: location)
        case .all(let list):
            for inner in list where try !holds(inner, in: context, at: location) { return false }
            return true
        case .any(let list):
            for inner in list where try holds(inner, in: context, at: location) { return true }
            return false
        }
    }

    /// JSON equality, or text equality when one side is text (XML values are always text).
    static func same(_ value: JSONValue, _ expected: JSONValue) -> Bool {
        if value == expected { return true }
        if case .string = value, let text = expected.text { return value.text == text }
        if case .string = expected, let text = value.text { return expected.text == text }
        return false
    }

    /// Runs `rules` in order, writing into `output`.
    func apply(_ rules: [MappingRule], in context: Context, into output: inout JSONValue) throws(LGSPError) {
        for rule in rules {
            if let condition = rule.condition, try !holds(condition, in: context, at: rule.location) { continue }
            switch rule.kind {
            case .value(let spec):
                guard let value = try value(of: spec, in: context, at: rule.location) else { continue }
                guard output.set(value, at: rule.target.segments[...]) else {
                    throw rule.location.error(.ruleFailed, "cannot write \(rule.target): a parent in the output already holds a value that is not an object")
                }
            case .forEach(let spec):
                var elements: [JSONValue] = []
                for item in try items(spec.source, in: context, at: rule.location) {
                    if let filter = spec.filter, try !holds(filter, in: item, at: rule.location) { continue }
                    var element = JSONValue.null
                    try apply(spec.rules, in: item, into: &element)
                    if element != .null { elements.append(element) }
                }
                guard !elements.isEmpty else { continue }
                guard output.set(.array(elements), at: rule.target.segments[...], append: true) else {
                    throw rule.location.error(.ruleFailed, "cannot write \(rule.target): a parent in the output already holds a value that is not an object")
                }
            }
        }
    }

    /// The value a rule writes, or nil when it writes nothing.
    func value(of spec: MappingRule.ValueRule, in context: Context, at location: RuleLocation) throws(LGSPError) -> JSONValue? {
        var value: JSONValue?
        if let constant = spec.constant {
            value = constant
        } else if spec.sourceIsList {
            var elements: [JSONValue] = []
            for path in spec.sources { elements.append(try read(path, in: context, at: location) ?? .null) }
            value = .array(elements)
        } else if let path = spec.sources.first {
            value = try read(path, in: context, at: location)
        }
        if var current = value {
            for step in spec.steps { current = try apply(step, to: current, in: context, at: location) }
            value = current == .null ? nil : current
        }
        if value == nil, let fallback = spec.defaultValue { value = fallback }
        if value == nil, spec.required {
            let from = spec.sources.map(\.description).joined(separator: ", ")
            throw location.error(.ruleFailed, "a required value is missing (source \(from) gives nothing)", details: ["source": from])
        }
        return value
    }
}
