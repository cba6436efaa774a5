import Foundation
import LGSPCore

/// `lgsp mapping check`: lints every mapping of a library without running it.
///
/// Reports: files that do not load (syntax, keys, paths, functions, XPath; schemas and catalogues
/// that do not exist or do not compile), JSON Schemas that the 2020-12 meta-schema refuses, source
/// and target paths the schemas do not declare,
/// unreachable rules (always overwritten by a later rule with the same target), mappings without a
/// test file, test files without a mapping, and a `datatypes.yaml` that does not read or names a
/// mapping that does not exist.
public struct MappingLinter: Sendable {
    /// The mappings, schemas and catalogues checked.
    public let library: MappingLibrary

    /// A linter over `library`.
    public init(library: MappingLibrary) {
        self.library = library
    }

    /// Every issue of every mapping and test file of the library.
    public func check() -> [MappingIssue] {
        var issues: [MappingIssue] = []
        let mappings = library.mappingFiles()
        for url in mappings { issues += check(url) }
        issues += checkDataTypes()
        let mappingNames = Set(mappings.map { $0.lastPathComponent })
        for test in library.testFiles() {
            let file = library.display(test)
            guard let text = try? String(contentsOf: test, encoding: .utf8) else { continue }
            do {
                let parsed = try MappingTestFile(text: text, file: file)
                if !mappingNames.contains(parsed.mapping) {
                    issues.append(MappingIssue(.error, file: file, line: nil, rule: nil, code: .missingMappingFile,
                                               "the test file names the mapping \(parsed.mapping), which does not exist"))
                }
            } catch {
                issues.append(MappingIssue(error, file: file))
            }
        }
        return issues
    }

    /// The issues of one mapping file.
    public func check(_ url: URL) -> [MappingIssue] {
        let file = library.display(url)
        var issues: [MappingIssue] = []
        let testURL = url.deletingLastPathComponent().appendingPathComponent(
            String(url.lastPathComponent.dropLast(".mapping.yaml".count)) + ".test.yaml")
        if !FileManager.default.fileExists(atPath: testURL.path) {
            issues.append(MappingIssue(.error, file: file, line: nil, rule: nil, code: .missingMappingFile,
                                       "the mapping has no test file (\(library.display(testURL)))"))
        }
        let mapping: Mapping
        do { mapping = try library.loadMapping(at: url) } catch { return [MappingIssue(error, file: file)] + issues }
        for endpoint in [mapping.source, mapping.target] { issues += checkSchemaDocument(endpoint, file: file) }
        let source = start(mapping.source)
        let target = start(mapping.target)
        issues += check(mapping.rules, file: file, source: source, target: target)
        return issues
    }

    static let metaSchema = "https://json-schema.org/draft/2020-12/schema"

    /// A JSON Schema a mapping names must itself be valid against the 2020-12 meta-schema (when the
    /// meta-schema is in `schemas/`, as shipped).
    private func checkSchemaDocument(_ endpoint: Mapping.Endpoint, file: String) -> [MappingIssue] {
        guard endpoint.format == .json, let relative = endpoint.schema,
              library.schemas.lookup(Self.metaSchema) != nil,
              let document = start(endpoint)?.first?.schema else { return [] }
        let found: [JSONSchemaIssue]
        do { found = try JSONSchemaValidator(registry: library.schemas).validate(document, against: Self.metaSchema) } catch {
            return [MappingIssue(.error, file: file, line: endpoint.line, rule: nil, code: .invalidSchema, error.message)]
        }
        return found.isEmpty ? [] : [MappingIssue(.error, file: file, line: endpoint.line, rule: nil, code: .invalidSchema,
            "the schema schemas/\(relative) is not a valid JSON Schema: \(found.map(\.description).joined(separator: "; "))")]
    }

    private func start(_ endpoint: Mapping.Endpoint) -> [JSONSchemaRegistry.Located]? {
        guard endpoint.format == .json, let relative = endpoint.schema else { return nil }
        let uri = library.schemasFolder.appendingPathComponent(relative).standardizedFileURL.absoluteString
        return library.schemas.lookup(uri).map { [$0] }
    }

    private func check(_ rules: [MappingRule], file: String, source: [JSONSchemaRegistry.Located]?,
                       target: [JSONSchemaRegistry.Located]?) -> [MappingIssue] {
        var issues: [MappingIssue] = []
        let checker = SchemaPathChecker(registry: library.schemas)
        func verify(_ path: SourcePath, _ rule: MappingRule, role: String) -> [JSONSchemaRegistry.Located]? {
            guard case .json(let jsonPath) = path, let schemas = jsonPath.fromRoot ? nil : source else { return nil }
            let (verdict, reached) = checker.follow(jsonPath.tokens, from: schemas)
            if case .undeclared(let step, let closed) = verdict {
                issues.append(MappingIssue(closed ? .error : .warning, file: file, line: rule.location.line, rule: rule.location.rule,
                                           "the \(role) path \(jsonPath) is not in the source schema ('\(step)' is not declared)"))
            }
            return reached
        }
        for (index, rule) in rules.enumerated() {
            for path in rule.condition?.sources ?? [] { _ = verify(path, rule, role: "condition") }
            var targetReached: [JSONSchemaRegistry.Located]? = nil
            if let target {
                let (verdict, reached) = checker.follow(rule.target.segments, from: target)
                targetReached = reached
                if case .undeclared(let step, let closed) = verdict {
                    issues.append(MappingIssue(closed ? .error : .warning, file: file, line: rule.location.line, rule: rule.location.rule,
                                               "the target path \(rule.target) is not in the target schema ('\(step)' is not declared)"))
                }
            }
            switch rule.kind {
            case .value(let spec):
                for path in spec.sources { _ = verify(path, rule, role: "source") }
                if let later = rules[(index + 1)...].first(where: { $0.target == rule.target && $0.condition == nil && Self.alwaysWrites($0) }) {
                    issues.append(MappingIssue(.error, file: file, line: rule.location.line, rule: rule.location.rule,
                                               "the rule is unreachable: rule \(later.location.rule) (line \(later.location.line)) always writes \(rule.target) after it"))
                }
            case .forEach(let spec):
                let reached = verify(spec.source, rule, role: "for-each")
                let itemSource = reached.map { checker.items($0) }.flatMap { $0.isEmpty ? nil : $0 }
                let itemTarget = targetReached.map { checker.items($0) }.flatMap { $0.isEmpty ? nil : $0 }
                issues += check(spec.rules, file: file, source: itemSource, target: itemTarget)
            }
        }
        return issues
    }

    /// A rule that writes whatever the input: a constant, or a default, with no condition.
    static func alwaysWrites(_ rule: MappingRule) -> Bool {
        guard case .value(let spec) = rule.kind else { return false }
        return spec.constant != nil || spec.defaultValue != nil
    }
}
