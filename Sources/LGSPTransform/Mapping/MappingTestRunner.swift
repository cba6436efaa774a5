import Foundation
import LGSPCore

/// Runs mapping test files and reports each case with a readable difference.
public struct MappingTestRunner: Sendable {
    /// The mappings, schemas and catalogues the tests run against.
    public let library: MappingLibrary

    /// A runner over `library`.
    public init(library: MappingLibrary) {
        self.library = library
    }

    /// The result of one case.
    public struct CaseResult: Sendable {
        /// The case's name (or `case N`).
        public var name: String
        /// The line of the case in the test file.
        public var line: Int
        /// Nil when the case passed; otherwise what went wrong, one line per difference.
        public var failure: [String]?
        /// True when the case produced what it expected.
        public var passed: Bool { failure == nil }
    }

    /// The result of one test file. When the file or its mapping cannot be loaded, `loadError`
    /// holds why and there are no cases.
    public struct FileResult: Sendable {
        /// The test file as messages name it.
        public var file: String
        /// The mapping file it tested, once loaded.
        public var mapping: String?
        /// Why the test file or its mapping could not be loaded.
        public var loadError: LGSPError?
        /// The result of each case, in file order.
        public var cases: [CaseResult]
        /// True when everything loaded and every case passed.
        public var passed: Bool { loadError == nil && cases.allSatisfy(\.passed) }

        /// Why the file does not pass, as one error: the load error, or `mapping.test_failed`
        /// naming the failing cases with their lines (nil when it passes). A mapping whose tests
        /// fail must never replace a working one.
        public var error: LGSPError? {
            if let loadError { return loadError }
            let failed = cases.filter { !$0.passed }
            guard let first = failed.first else { return nil }
            let summary = failed.map { "\(file):\($0.line) \($0.name): \(($0.failure ?? []).joined(separator: "; "))" }
            return LGSPError(.mappingTestFailed, "\(failed.count) of \(cases.count) cases of \(file) fail: \(summary.joined(separator: " | "))",
                details: ["mapping": mapping ?? file, "line": "\(first.line)"])
        }
    }

    /// Runs the test file at `url` (or, given a mapping file, the test file beside it).
    public func run(_ url: URL) -> FileResult {
        var testURL = url
        if url.lastPathComponent.hasSuffix(".mapping.yaml") {
            testURL = url.deletingLastPathComponent().appendingPathComponent(
                String(url.lastPathComponent.dropLast(".mapping.yaml".count)) + ".test.yaml")
        }
        let file = library.display(testURL)
        do throws(LGSPError) {
            guard let text = try? String(contentsOf: testURL, encoding: .utf8) else {
                throw LGSPError(.missingMappingFile, "the test file \(file) does not exist or cannot be read", details: ["mapping": file])
            }
            let tests = try MappingTestFile(text: text, file: file)
            let mappingURL = testURL.deletingLastPathComponent().appendingPathComponent(tests.mapping)
            let mapping = try library.loadMapping(at: mappingURL)
            return FileResult(file: file, mapping: mapping.file, loadError: nil, cases: tests.cases.map { run($0, mapping: mapping) })
        } catch {
            return FileResult(file: file, mapping: nil, loadError: error, cases: [])
        }
    }

    func run(_ testCase: MappingTestFile.Case, mapping: Mapping) -> CaseResult {
        let input: Data
        switch testCase.input {
        case .string(let text): input = Data(text.utf8)
        default: input = JSONSerializer.data(testCase.input)
        }
        let result: Result<Mapping.Output, LGSPError>
        do { result = .success(try mapping.transform(input)) } catch { result = .failure(error) }
        let failure: [String]?
        switch (testCase.expectation, result) {
        case (.output(let expected), .success(let output)):
            let wanted: JSONValue
            if mapping.target.format == .xml, case .string(let xml) = expected {
                do { wanted = try SafeXMLParser().parse(xml, name: "expected").jsonValue } catch {
                    return CaseResult(name: testCase.name, line: testCase.line, failure: ["the expected XML is not well formed: \(error.message)"])
                }
            } else {
                wanted = expected
            }
            let actual: JSONValue
            if mapping.target.format == .xml, let tree = try? SafeXMLParser().parse(output.data, name: "output") {
                actual = tree.jsonValue
            } else {
                actual = output.value
            }
            let differences = JSONDiff.lines(expected: wanted, actual: actual)
            failure = differences.isEmpty ? nil : differences
        case (.output, .failure(let error)):
            failure = ["expected an output, got the error \(error.description)"]
        case (.error(let code, _), .success(let output)):
            failure = ["expected the error \(code), got the output \(JSONDiff.show(output.value))"]
        case (.error(let code, let words), .failure(let error)):
            if error.code.rawValue != code {
                failure = ["expected the error \(code), got \(error.description)"]
            } else if let words, !error.message.contains(words) {
                failure = ["the error message does not contain '\(words)': \(error.message)"]
            } else {
                failure = nil
            }
        }
        return CaseResult(name: testCase.name, line: testCase.line, failure: failure)
    }
}
