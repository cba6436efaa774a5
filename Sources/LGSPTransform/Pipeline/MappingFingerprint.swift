import Foundation
import LGSPCore

/// What `mappings/` and `schemas/` look like on disk, in one digest: the path, size and
/// modification time of every file. A change of any file (or a file added or removed) changes it,
/// so a watcher reloads only when something changed.
public enum MappingFingerprint {
    /// The fingerprint of the folders under `root`.
    public static func of(root: URL) -> String {
        var lines: [String] = []
        for folder in ["mappings", "schemas"] {
            let base = root.appendingPathComponent(folder).resolvingSymlinksInPath()
            guard let walker = FileManager.default.enumerator(
                at: base, includingPropertiesForKeys: [.fileSizeKey, .contentModificationDateKey, .isRegularFileKey])
            else { continue }
            for case let url as URL in walker {
                guard let values = try? url.resourceValues(forKeys: [.fileSizeKey, .contentModificationDateKey, .isRegularFileKey]),
                    values.isRegularFile == true
                else { continue }
                let modified = values.contentModificationDate?.timeIntervalSince1970 ?? 0
                lines.append("\(folder)/\(url.path.dropFirst(base.path.count))\t\(values.fileSize ?? -1)\t\(modified)")
            }
        }
        return ContentDigest.of(Data(lines.sorted().joined(separator: "\n").utf8)).hex
    }
}
