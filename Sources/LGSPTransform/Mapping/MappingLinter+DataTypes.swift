import Foundation
import LGSPCore

extension MappingLinter {
    /// The issues of `mappings/datatypes.yaml`: a file that does not read, and conversions naming a
    /// mapping file that does not exist.
    func checkDataTypes() -> [MappingIssue] {
        let url = library.mappingsFolder.appendingPathComponent(DataTypeFormats.fileName)
        guard FileManager.default.fileExists(atPath: url.path) else { return [] }
        let file = library.display(url)
        guard let text = try? String(contentsOf: url, encoding: .utf8) else {
            return [MappingIssue(.error, file: file, line: nil, rule: nil, "the file is not UTF-8 text")]
        }
        let formats: DataTypeFormats
        do { formats = try DataTypeFormats(text: text, file: file) } catch { return [MappingIssue(error, file: file)] }
        var issues: [MappingIssue] = []
        for entry in formats.entries.values.sorted(by: { $0.line < $1.line }) {
            for (format, name) in entry.conversions.sorted(by: { $0.key < $1.key }) {
                let mapping = library.mappingsFolder.appendingPathComponent(name + ".mapping.yaml")
                guard !FileManager.default.fileExists(atPath: mapping.path) else { continue }
                issues.append(MappingIssue(.error, file: file, line: entry.lines[format] ?? entry.line, rule: nil, code: .missingMappingFile,
                    "data type \(entry.dataType) converts to \(format) with the mapping \(name), but mappings/\(name).mapping.yaml does not exist"))
            }
        }
        return issues
    }
}
