import Foundation
import LGSPCore
import Yams

/// `mappings/datatypes.yaml`: for each data type, the format its packets arrive in and the mapping
/// that produces each other format a destination app may accept (the language of the file is in
/// `mappings/README.md`, "In the pipeline").
///
/// ```yaml
/// data-types:
///   citizen-record:
///     format: citizen-legacy
///     convert:
///       citizen-national: citizen-legacy-to-national
/// ```
public struct DataTypeFormats: Sendable {
    /// The file's name in `mappings/`.
    public static let fileName = "datatypes.yaml"

    /// What the file says about one data type.
    public struct Entry: Sendable {
        public var dataType: DataType
        /// The format packets of the data type arrive in.
        public var format: ContentFormat
        /// For each format a destination may accept instead: the mapping (`mappings/<name>.mapping.yaml`) producing it.
        public var conversions: [ContentFormat: String]
        /// The line of each conversion, for messages.
        public var lines: [ContentFormat: Int]
        /// The line of the data type.
        public var line: Int
    }

    /// The data types the file describes.
    public let entries: [DataType: Entry]

    /// No data type has a format: every packet goes out as sent.
    public static let empty = DataTypeFormats(entries: [:])

    init(entries: [DataType: Entry]) {
        self.entries = entries
    }

    /// Reads the file's text; `file` names it in messages.
    ///
    /// Failure: `mapping.invalid` naming the file and line (YAML syntax, an unknown key, a data type
    /// or format name that is not valid, a conversion to the format the data type arrives in).
    public init(text: String, file: String) throws(LGSPError) {
        let yaml = YAMLSource(file: file)
        // A file with nothing but comments describes no data type.
        var empty = false
        do { empty = try Yams.compose(yaml: text) == nil } catch {}  // a syntax error is reported below, with its line
        if empty {
            self.entries = [:]
            return
        }
        let root = try yaml.root(text)
        let top = try yaml.members(root, allowed: ["data-types"], what: "the file")
        guard let types = top["data-types"] else {
            self.entries = [:]
            return
        }
        guard case .mapping(let mapping) = types else { throw yaml.invalid(types, "data-types must map data types to their formats") }
        var entries: [DataType: Entry] = [:]
        for (key, value) in mapping {
            let line = (key.mark?.line ?? 1)
            let dataType: DataType
            do throws(LGSPError) { dataType = try DataType(try yaml.string(key, what: "a data type")) } catch {
                throw yaml.invalid(key, error.message)
            }
            let members = try yaml.members(value, allowed: ["format", "convert", "note"], what: "data type \(dataType)")
            guard let formatNode = members["format"] else { throw yaml.invalid(value, "data type \(dataType) needs the format its packets arrive in ('format')") }
            let format = try Self.format(formatNode, yaml: yaml)
            var conversions: [ContentFormat: String] = [:]
            var lines: [ContentFormat: Int] = [:]
            if let convert = members["convert"] {
                guard case .mapping(let pairs) = convert else {
                    throw yaml.invalid(convert, "convert must map formats to mapping names (citizen-national: citizen-legacy-to-national)")
                }
                for (target, name) in pairs {
                    let targetFormat = try Self.format(target, yaml: yaml)
                    guard targetFormat != format else {
                        throw yaml.invalid(target, "data type \(dataType) arrives as \(format) already; a conversion must produce another format")
                    }
                    let mapping = try yaml.string(name, what: "a mapping name").trimmingCharacters(in: .whitespaces)
                    guard !mapping.isEmpty, !mapping.contains("/") else {
                        throw yaml.invalid(name, "'\(mapping)' is not a mapping name: give the file name under mappings/ without .mapping.yaml")
                    }
                    conversions[targetFormat] = mapping.hasSuffix(".mapping.yaml") ? String(mapping.dropLast(".mapping.yaml".count)) : mapping
                    lines[targetFormat] = target.mark?.line ?? line
                }
            }
            guard entries[dataType] == nil else { throw yaml.invalid(key, "data type \(dataType) is described twice") }
            entries[dataType] = Entry(dataType: dataType, format: format, conversions: conversions, lines: lines, line: line)
        }
        self.entries = entries
    }

    private static func format(_ node: Node, yaml: YAMLSource) throws(LGSPError) -> ContentFormat {
        do throws(LGSPError) {
            return try ContentFormat(try yaml.string(node, what: "a format"), field: "format")
        } catch {
            throw yaml.invalid(node, error.message)
        }
    }

    /// The entry of `dataType`, if the file describes it.
    public subscript(dataType: DataType) -> Entry? { entries[dataType] }
}
