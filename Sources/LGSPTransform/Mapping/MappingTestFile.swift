import Foundation
import LGSPCore
import Yams

/// A mapping's tests (`mappings/<name>.test.yaml`): cases with an input and either the expected
/// output or the expected error.
public struct MappingTestFile: Sendable {
    /// One case.
    public struct Case: Sendable {
        /// What the case expects.
        public enum Expectation: Sendable {
            /// The output, as a JSON value (XML outputs: their XML text, or the `XMLWriter` convention).
            case output(JSONValue)
            /// An error code, and optionally words its message must contain.
            case error(code: String, messageContains: String?)
        }

        /// The case's name (or `case N`).
        public var name: String
        /// The line of the case.
        public var line: Int
        /// A JSON value (for JSON sources) or text (XML sources, or JSON given as text).
        public var input: JSONValue
        /// The output or the error expected.
        public var expectation: Expectation
    }

    /// The test file as messages name it.
    public let file: String
    /// The mapping file it tests, relative to `mappings/`.
    public let mapping: String
    /// The cases, in file order.
    public let cases: [Case]

    /// Reads a test file.
    ///
    /// Failure: `mapping.invalid` naming the file and line.
    public init(text: String, file: String) throws(LGSPError) {
        let yaml = YAMLSource(file: file)
        let root = try yaml.root(text)
        let top = try yaml.members(root, allowed: ["mapping", "cases"], what: "a mapping test file")
        let base = URL(fileURLWithPath: file).lastPathComponent
        let defaultMapping = base.hasSuffix(".test.yaml") ? String(base.dropLast(".test.yaml".count)) + ".mapping.yaml" : base
        self.file = file
        self.mapping = try top["mapping"].map { node throws(LGSPError) in try yaml.string(node, what: "mapping") } ?? defaultMapping
        guard case .sequence(let list)? = top["cases"], !list.isEmpty else {
            throw yaml.invalid(root, "a test file needs 'cases': a non-empty list")
        }
        var cases: [Case] = []
        for (index, node) in list.enumerated() {
            let members = try yaml.members(node, allowed: ["name", "input", "expected", "error"], what: "a test case")
            let line = node.mark?.line ?? 1
            let name = members["name"]?.string ?? "case \(index + 1)"
            guard let inputNode = members["input"] else { throw yaml.invalid(node, "the case '\(name)' has no 'input'") }
            let expectation: Case.Expectation
            switch (members["expected"], members["error"]) {
            case (let expected?, nil):
                expectation = .output(try yaml.json(expected))
            case (nil, let error?):
                if let code = error.string, case .scalar = error {
                    expectation = .error(code: code, messageContains: nil)
                } else {
                    let fields = try yaml.members(error, allowed: ["code", "message-contains"], what: "an expected error")
                    guard let code = fields["code"]?.string else { throw yaml.invalid(error, "an expected error needs 'code'") }
                    expectation = .error(code: code, messageContains: fields["message-contains"]?.string)
                }
            default:
                throw yaml.invalid(node, "the case '\(name)' needs exactly one of 'expected' and 'error'")
            }
            cases.append(Case(name: name, line: line, input: try yaml.json(inputNode), expectation: expectation))
        }
        self.cases = cases
    }
}
