import Foundation
import LGSPCore

/// One app's file-drop folder, opened for one scan: `<root>/<accessKey>/{inbox,outbox,sent,error,done}`
/// and the hub's state for it in `<root>/.lgsp/<accessKey>/{picked,written}`, which the app cannot
/// write (so it can neither forge nor erase the hub's record of what it already did).
///
/// Every folder is opened without following links: an app that replaces one of its folders with a
/// link to elsewhere gets `server.storage_failure` for its folder and nothing is read or written.
struct FileDropFolder {
    let accessKey: String
    let inbox: DirectoryHandle
    let outbox: DirectoryHandle
    let sent: DirectoryHandle
    let error: DirectoryHandle
    let done: DirectoryHandle
    /// Journal of pickups that are sent but not yet moved out of `inbox/` (one file per packet).
    let picked: DirectoryHandle
    /// Markers of deliveries whose payload is written into `outbox/` (one file per packet, holding its manifest).
    let written: DirectoryHandle

    static let subfolders = ["inbox", "outbox", "sent", "error", "done"]
    /// The hub's state folder inside the root.
    static let stateFolder = ".lgsp"

    static func open(root: DirectoryHandle, accessKey: String) throws(LGSPError) -> FileDropFolder {
        let app = try root.subdirectory(accessKey, create: false)
        let state = try root.subdirectory(stateFolder, create: true).subdirectory(accessKey, create: true)
        return FileDropFolder(
            accessKey: accessKey,
            inbox: try app.subdirectory("inbox", create: true), outbox: try app.subdirectory("outbox", create: true),
            sent: try app.subdirectory("sent", create: true), error: try app.subdirectory("error", create: true),
            done: try app.subdirectory("done", create: true),
            picked: try state.subdirectory("picked", create: true), written: try state.subdirectory("written", create: true))
    }

    /// Whether `name` can be an app folder in the root: an access key (letters, digits, `-`, `_`), not hidden.
    static func isAppFolderName(_ name: String) -> Bool {
        !name.isEmpty && name.count <= 128 && !name.hasPrefix(".")
            && name.unicodeScalars.allSatisfy { ($0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0))) || $0 == "-" || $0 == "_" }
    }

    /// Creates `<root>/<accessKey>/` with its sub-folders (existing ones are kept) and returns their paths.
    ///
    /// - Throws: `request.invalid_field` for an access key that cannot be a folder name,
    ///   `server.storage_failure` if a folder cannot be created (or is a link).
    static func create(root: String, accessKey: String) throws(LGSPError) -> [String] {
        guard isAppFolderName(accessKey) else {
            throw LGSPError(.invalidField, "access key '\(accessKey)' cannot name a file-drop folder", field: "accessKey")
        }
        let rootHandle = try DirectoryHandle.open(root, create: true)
        let app = try rootHandle.subdirectory(accessKey, create: true)
        var paths: [String] = []
        for name in subfolders {
            paths.append(try app.subdirectory(name, create: true).path)
        }
        _ = try rootHandle.subdirectory(stateFolder, create: true).subdirectory(accessKey, create: true)
        return paths
    }
}

/// Creating an app's folders, for the admin API.
public enum FileDropFolders {
    /// Creates `<root>/<accessKey>/{inbox,outbox,sent,error,done}` (keeping what exists); returns their paths.
    public static func create(root: String, accessKey: String) throws(LGSPError) -> [String] {
        try FileDropFolder.create(root: root, accessKey: accessKey)
    }
}
