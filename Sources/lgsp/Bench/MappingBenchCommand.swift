import ArgumentParser
import Foundation
import LGSPCore
import LGSPTransform

/// `lgsp bench mapping`: throughput of the shipped JSON→JSON and XML→JSON mappings (records/s and
/// MB/s), beside the raw parse rate of the same input measured in the same run.
///
/// Each record is the input of the first case of the mapping's test file; a conversion is the whole
/// `Mapping.transform` (parse, input schema, rules, output schema, serialisation).
struct MappingBenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mapping", abstract: "Mapping throughput (records/s, MB/s) beside the raw parse rate of the same input.")

    @OptionGroup var options: MappingRootOption
    @Option(help: "Seconds measured per figure (after a short warm-up).") var duration = 3.0
    @Option(help: "Mappings to measure (names in mappings/).")
    var mappings: [String] = ["citizen-legacy-to-national", "edxml-to-summary"]
    @Flag(help: "Print the results as JSON.") var json = false

    struct Figure: Codable {
        var mapping: String
        var direction: String
        var recordBytes: Int
        var parseRecordsPerSecond: Double
        var parseMBps: Double
        var mappingRecordsPerSecond: Double
        var mappingMBps: Double
    }

    func run() async throws {
        let library = try options.library()
        var figures: [Figure] = []
        for name in mappings {
            let mapping: Mapping
            let input: Data
            do {
                mapping = try library.mapping(named: name)
                input = try firstInput(of: name, library: library)
                _ = try mapping.transform(input)
            } catch let error as LGSPError {
                Output.error("error: \(error.description)")
                throw ExitCode(2)
            }
            let parse: () throws -> Void = mapping.source.format == .json
                ? { _ = try JSONParser().parse(input) }
                : { _ = try SafeXMLParser().parse(input) }
            let parseRate = try measure(parse)
            let mappingRate = try measure { _ = try mapping.transform(input) }
            let megabytes = Double(input.count) / 1_000_000
            figures.append(Figure(
                mapping: name, direction: "\(mapping.source.format.rawValue)→\(mapping.target.format.rawValue)", recordBytes: input.count,
                parseRecordsPerSecond: parseRate, parseMBps: parseRate * megabytes,
                mappingRecordsPerSecond: mappingRate, mappingMBps: mappingRate * megabytes))
        }
        if json {
            try Output.json(figures)
            return
        }
        Output.table(
            ["mapping", "direction", "bytes/record", "parse records/s", "parse MB/s", "mapping records/s", "mapping MB/s"],
            figures.map {
                [$0.mapping, $0.direction, "\($0.recordBytes)", String(format: "%.0f", $0.parseRecordsPerSecond), String(format: "%.1f", $0.parseMBps),
                 String(format: "%.0f", $0.mappingRecordsPerSecond), String(format: "%.1f", $0.mappingMBps)]
            })
    }

    /// Operations per second over `duration`, after a warm-up of a tenth of it.
    private func measure(_ body: () throws -> Void) throws -> Double {
        try BenchSupport.rate(duration: duration, batch: 16, body)
    }

    /// The input of the first case of `mappings/<name>.test.yaml`, as bytes.
    private func firstInput(of name: String, library: MappingLibrary) throws -> Data {
        let url = library.mappingsFolder.appendingPathComponent(name + ".test.yaml")
        let tests = try MappingTestFile(text: try String(contentsOf: url, encoding: .utf8), file: library.display(url))
        guard let input = tests.cases.first?.input else { throw ValidationError("\(name) has no test case") }
        if case .string(let text) = input { return Data(text.utf8) }
        return JSONSerializer.data(input)
    }
}
