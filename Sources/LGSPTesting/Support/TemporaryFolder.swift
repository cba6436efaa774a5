import Foundation

/// A fresh folder under the system temporary directory, removed by `remove()`.
public struct TemporaryFolder: Sendable {
    public let path: String

    public init(_ prefix: String = "lgsp-test") throws {
        path = NSTemporaryDirectory() + "\(prefix)-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    public func remove() {
        try? FileManager.default.removeItem(atPath: path)
    }

    /// Every regular file below the folder (or below `subfolder` of it), recursively.
    public func files(under subfolder: String? = nil) -> [String] {
        let path = subfolder.map { self.path + "/" + $0 } ?? self.path
        guard let enumerator = FileManager.default.enumerator(atPath: path) else { return [] }
        return enumerator.compactMap { $0 as? String }.map { path + "/" + $0 }.filter {
            var isDirectory: ObjCBool = false
            return FileManager.default.fileExists(atPath: $0, isDirectory: &isDirectory) && !isDirectory.boolValue
        }
    }

    /// Whether any file below the folder (or below `subfolder` of it) contains `needle`.
    public func anyFileContains(_ needle: Data, under subfolder: String? = nil) -> Bool {
        files(under: subfolder).contains { file in
            guard let data = FileManager.default.contents(atPath: file) else { return false }
            return data.range(of: needle) != nil
        }
    }
}

/// The package root (the folder holding Package.swift), found from this source file.
public enum PackageRoot {
    public static let path: String = {
        var url = URL(fileURLWithPath: #filePath)
        while url.path != "/" {
            url.deleteLastPathComponent()
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) { return url.path }
        }
        return FileManager.default.currentDirectoryPath
    }()
}
