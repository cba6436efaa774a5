import Foundation
import LGSPAPI
import LGSPClient
import LGSPCore
import LGSPTesting
import Testing

/// One app's file-drop folder as the app sees it: files written the way the README tells apps to.
struct DropFolder {
    let path: String

    init(hub: HubProcess, accessKey: String) {
        path = hub.dataPath + "/drop/" + accessKey
    }

    var inbox: String { path + "/inbox" }
    var outbox: String { path + "/outbox" }
    var sent: String { path + "/sent" }
    var error: String { path + "/error" }
    var done: String { path + "/done" }

    /// Drops a payload and its manifest: each written as `.part` then renamed, the manifest last.
    func drop(_ name: String, _ data: Data, manifest: [String: Any]) throws {
        try write(inbox + "/" + name, data)
        try write(inbox + "/" + name + ".manifest.json", try JSONSerialization.data(withJSONObject: manifest))
    }

    /// Writes a file atomically (`.part`, rename).
    func write(_ path: String, _ data: Data) throws {
        try data.write(to: URL(fileURLWithPath: path + ".part"))
        guard rename(path + ".part", path) == 0 else { throw HubProcessError(message: "rename \(path) failed") }
    }

    static func names(_ folder: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).sorted()
    }

    /// Manifests of deliveries in `outbox/` (or `done/`), decoded.
    static func manifests(_ folder: String) -> [String: [String: Any]] {
        var result: [String: [String: Any]] = [:]
        for name in names(folder) where name.hasSuffix(".manifest.json") {
            if let data = FileManager.default.contents(atPath: folder + "/" + name),
                let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
            {
                result[name] = object
            }
        }
        return result
    }

    /// The receipt of a sent file.
    func receipt(_ name: String) -> [String: Any]? {
        guard let data = FileManager.default.contents(atPath: sent + "/" + name + ".receipt.json") else { return nil }
        return try? JSONSerialization.jsonObject(with: data) as? [String: Any]
    }

    /// The text of a refusal.
    func errorText(_ name: String) -> String? {
        FileManager.default.contents(atPath: error + "/" + name + ".error.txt").map { String(decoding: $0, as: UTF8.self) }
    }

    /// Takes a delivery the way an app does: payload first, manifest last, into `done/`.
    func take(_ manifestName: String) throws {
        let manifest = try #require(Self.manifests(outbox)[manifestName])
        let file = try #require(manifest["file"] as? String)
        guard rename(outbox + "/" + file, done + "/" + file) == 0, rename(outbox + "/" + manifestName, done + "/" + manifestName) == 0 else {
            throw HubProcessError(message: "could not move \(manifestName) to done/")
        }
    }
}

/// Waits until `condition` holds, polling; false after `timeout`.
func eventually(timeout: Double = 30, every interval: Int = 100, _ condition: () async throws -> Bool) async rethrows -> Bool {
    let deadline = Date().addingTimeInterval(timeout)
    while Date() < deadline {
        if try await condition() { return true }
        try? await Task.sleep(for: .milliseconds(interval))
    }
    return try await condition()
}

func sha256Hex(_ data: Data) -> String { ContentDigest.of(data).hex }
