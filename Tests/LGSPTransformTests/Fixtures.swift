import Foundation

/// Paths of the package, the shared folder beside it, and the test fixtures.
enum Fixtures {
    /// The package root: this file is `<root>/Tests/LGSPTransformTests/Fixtures.swift`.
    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// `../shared` beside the package (developers' clones may not have it; CI always does).
    static let shared = packageRoot.deletingLastPathComponent().appendingPathComponent("shared")

    static func url(_ relative: String) -> URL { packageRoot.appendingPathComponent("Tests/Fixtures/" + relative) }

    static func data(_ relative: String) throws -> Data { try Data(contentsOf: url(relative)) }

    static func files(in folder: String, withExtension ext: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: url(folder).path).filter { $0.hasSuffix("." + ext) }.sorted()
    }
}
