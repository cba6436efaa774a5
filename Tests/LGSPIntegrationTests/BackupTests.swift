import Foundation
import LGSPAPI
import LGSPClient
import LGSPCore
import LGSPTesting
import Testing

/// Operations (Article 15.6): `lgsp backup` copies a running hub's data folder; `lgsp restore` puts it
/// into an empty folder, from which a hub starts with the same directory, credentials, waiting packets
/// and audit chain. A damaged backup is refused before anything is copied.
@Suite("Backup and restore", .serialized)
struct BackupTests {
    @Test("a backup of a running hub restores into a hub with the same units, working app keys, the waiting packet and a valid audit chain")
    func roundTrip() async throws {
        let hub = try await HubProcess.start()
        defer { hub.shutdown() }
        let scenario = try await Scenario.make(hub)
        let content = Data("Nội dung cần sao lưu — công văn số 12/STC".utf8)
        let sent = try await scenario.client(scenario.source).send(to: [Scenario.firstUnit], subject: "Sao lưu", dataType: "edoc", data: content)

        let work = try TemporaryFolder("lgsp-backup")
        defer { work.remove() }
        let backup = try await CLITests.lgsp(["backup", "--data", hub.dataPath, "--to", work.path + "/backup"])
        #expect(backup.status == 0, "\(backup.stderr)")
        #expect(backup.text.contains("master.key was not copied"))
        #expect(!FileManager.default.fileExists(atPath: work.path + "/backup/master.key"), "the master key stays apart by default")
        #expect(try await CLITests.lgsp(["backup", "--data", hub.dataPath, "--to", work.path + "/backup"]).status != 0, "an existing folder is not overwritten")

        // A damaged copy is refused, naming the file; nothing is written.
        try FileManager.default.copyItem(atPath: work.path + "/backup", toPath: work.path + "/damaged")
        let database = work.path + "/damaged/lgsp.sqlite"
        var bytes = try Data(contentsOf: URL(fileURLWithPath: database))
        bytes[bytes.count / 2] ^= 0xFF
        try bytes.write(to: URL(fileURLWithPath: database))
        let refused = try await CLITests.lgsp(["restore", "--from", work.path + "/damaged", "--data", work.path + "/never"])
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("lgsp.sqlite") && refused.stderr.contains("damaged"), "\(refused.stderr)")
        #expect(!FileManager.default.fileExists(atPath: work.path + "/never/lgsp.sqlite"))

        let restoredFolder = try TemporaryFolder("lgsp-restored")
        let restore = try await CLITests.lgsp([
            "restore", "--from", work.path + "/backup", "--data", restoredFolder.path + "/data", "--master-key", hub.dataPath + "/master.key",
        ])
        #expect(restore.status == 0, "\(restore.stderr)")
        #expect(try await CLITests.lgsp(["restore", "--from", work.path + "/backup", "--data", restoredFolder.path + "/data"]).status != 0,
            "a folder that holds a database is not restored over")
        hub.stop()

        let restored = try await HubProcess.start(data: restoredFolder)
        defer { restored.shutdown() }
        let admin = try restored.adminClient()
        #expect(try await admin.units().map(\.code.rawValue).contains(Scenario.firstUnit))
        // The app secrets were sealed with the master key: the old credentials still sign.
        let receiver = LGSPClient(url: restored.url, accessKey: scenario.first.accessKey, secretKey: scenario.first.secretKey)
        #expect(try await receiver.inbox().map(\.id) == [sent.id])
        _ = try await receiver.accept(sent.id)
        #expect(try await receiver.download(sent.id) == content)
        let verify = try await CLITests.lgsp(["audit", "verify", "--data", restored.dataPath])
        #expect(verify.status == 0, "\(verify.text) \(verify.stderr)")
    }
}
