import Foundation
import LGSPCore

extension Mapping {
    /// A converted payload: the bytes to deliver and the value they encode (for XML, in the
    /// convention of `XMLWriter`).
    public struct Output: Sendable {
        /// The output as a value (for XML, in the convention of `XMLWriter`).
        public var value: JSONValue
        /// The serialised output (UTF-8 JSON, or XML with its declaration).
        public var data: Data
    }

    /// Converts a payload: parses it (XML safely), validates it against the source schema, runs the
    /// rules, validates the result against the target schema and serialises it.
    ///
    /// Failure, each with `details.mapping`: `transform.malformed_content`, `transform.unsafe_xml`,
    /// `transform.limit_exceeded` (input), `transform.schema_violation` (input or output),
    /// `transform.rule_failed`, `transform.unknown_code`, `transform.ambiguous_code` (naming the
    /// rule, its line and file). The input is never modified.
    public func transform(_ input: Data) throws(LGSPError) -> Output {
        do throws(LGSPError) {
            switch source.format {
            case .json:
                return try transform(json: try JSONParser().parse(input))
            case .xml:
                let tree = try SafeXMLParser(limits: xmlLimits).parse(input, name: "input")
                if case .xsd(let schema)? = inputSchema { try schema.validate(tree, role: "input") }
                let evaluator = XPathEvaluator(tree: tree, namespaces: source.namespaces)
                var output = JSONValue.null
                try MappingRun(catalogues: catalogues).apply(rules, in: .xml(evaluator: evaluator, current: nil), into: &output)
                return try finish(output)
            }
        } catch {
            throw located(error)
        }
    }

    /// Converts an already parsed JSON payload (the source format must be `json`).
    public func transform(json input: JSONValue) throws(LGSPError) -> Output {
        do throws(LGSPError) {
            guard source.format == .json else {
                throw LGSPError(.malformedContent, "the mapping \(name) reads XML, not JSON")
            }
            if case .json(let schema)? = inputSchema { try schema.validate(input, role: "input") }
            var output = JSONValue.null
            try MappingRun(catalogues: catalogues).apply(rules, in: .json(root: input, current: input), into: &output)
            return try finish(output)
        } catch {
            throw located(error)
        }
    }

    private func finish(_ output: JSONValue) throws(LGSPError) -> Output {
        switch target.format {
        case .json:
            let value = output == .null ? JSONValue.object(JSONObject()) : output
            if case .json(let schema)? = outputSchema { try schema.validate(value, role: "output") }
            return Output(value: value, data: JSONSerializer.data(value))
        case .xml:
            let tree = try XMLWriter(namespaces: target.namespaces).document(output)
            if case .xsd(let schema)? = outputSchema { try schema.validate(tree, role: "output") }
            return Output(value: output, data: tree.serialized(pretty: true))
        }
    }

    /// Errors not raised by a rule still name the mapping.
    private func located(_ error: LGSPError) -> LGSPError {
        guard error.details["mapping"] == nil else { return error }
        var located = error
        located.message = "\(file): \(error.message)"
        located.details["mapping"] = file
        return located
    }
}
