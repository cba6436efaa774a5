import Foundation

/// Settings of the file-drop adapter (`fileDrop.*` in the hub's configuration; environment
/// `LGSP_FILE_DROP_…`).
///
/// Keys:
///   - `fileDrop.root` (string, default: `<data>/drop`): the folder holding one folder per app,
///     named after its access key, and the hub's own `.lgsp/` state folder
///   - `fileDrop.pollSeconds` (double, default 1): how often every app folder is scanned
///   - `fileDrop.maxFileBytes` (int, default 256 MiB): larger dropped files are refused
///     (`exchange.content_too_large`); the hub's `limits.maxContentBytes` applies as well
///   - `fileDrop.enabled` (bool, default true): whether this node runs the adapter (with several
///     nodes sharing one root, run it on one)
public struct FileDropConfiguration: Sendable, Hashable {
    public var root: String
    public var pollInterval: TimeInterval
    public var maxFileBytes: Int64
    public var enabled: Bool
    /// A manifest that does not parse is given this long (from its modification time) to be
    /// finished by a writer that writes it in place, unless a `.done` marker says it is complete.
    public var settleInterval: TimeInterval

    public init(root: String, pollInterval: TimeInterval = 1, maxFileBytes: Int64 = 256 << 20, enabled: Bool = true, settleInterval: TimeInterval = 3) {
        self.root = root
        self.pollInterval = pollInterval
        self.maxFileBytes = maxFileBytes
        self.enabled = enabled
        self.settleInterval = settleInterval
    }

    /// The default root for a data folder.
    public static func defaultRoot(data: String) -> String { data + "/drop" }
}
