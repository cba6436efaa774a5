import ArgumentParser
import Foundation
import LGSPAPI

extension AppCommand {
    /// `lgsp app file-drop KEY`.
    struct FileDrop: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "file-drop",
            abstract: "Create an app's file-drop folders (inbox/ outbox/ sent/ error/ done/) under the hub's fileDrop.root.",
            discussion: """
                The hub then sends every file the app drops into inbox/ (with NAME.manifest.json) and writes \
                its deliveries into outbox/. Give the app's OS account access to its own folder only: the folder \
                is the app's identity.
                """)
        @OptionGroup var client: ClientOptions
        @Argument(help: "The app's access key.") var accessKey: String
        @Flag(help: "Print JSON.") var json = false

        func run() async throws {
            try await reportingFailures {
                let folders = try await client.adminClient().createFileDropFolders(accessKey: accessKey)
                if json { try Output.json(folders); return }
                Output.line("file-drop folders of \(folders.accessKey): \(folders.folder)")
                for (name, path) in [("inbox", folders.inbox), ("outbox", folders.outbox), ("sent", folders.sent), ("error", folders.error), ("done", folders.done)] {
                    Output.line("  \(name): \(path)")
                }
            }
        }
    }
}
