import CLibXML2
import Foundation
import Synchronization

/// libxml2's external entity loader, replaced by one that serves only allow-listed local files.
///
/// libxml2 calls it for every external resource: XSD `import`/`include` follow `schemaLocation`,
/// even over the network (STACK.md pitfall 4). Everything that is not a file under an allowed
/// folder — any URL with a scheme other than `file`, any path outside the list after resolving
/// `..` and symbolic links — is refused, and libxml2 reports it as an entity it failed to load.
enum XMLEntityLoader {
    private static let allowed = Mutex<Set<String>>([])

    /// Allows the files under `folder` (resolved to its real path).
    static func allow(folder: String) {
        let real = realPath(folder) ?? folder
        _ = allowed.withLock { $0.insert(real.hasSuffix("/") ? real : real + "/") }
    }

    /// Whether `path` resolves to a file under an allowed folder.
    static func isAllowed(_ path: String) -> Bool {
        guard let real = realPath(path) else { return false }
        return allowed.withLock { folders in folders.contains { real.hasPrefix($0) } }
    }

    static func install() {
        xmlSetExternalEntityLoader { url, _, context in
            guard let url else { return nil }
            var path = String(cString: url)
            if path.hasPrefix("file://") { path = String(path.dropFirst("file://".count)) }
            guard !path.contains("://"), XMLEntityLoader.isAllowed(path) else { return nil }
            return xmlNewInputFromFile(context, path)
        }
    }

    private static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }
}
