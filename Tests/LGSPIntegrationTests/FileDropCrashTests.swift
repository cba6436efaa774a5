import Foundation
import LGSPAPI
import LGSPClient
import LGSPCore
import LGSPTesting
import Synchronization
import Testing

/// The destination app of the crash test: takes every delivery it finds in its outbox (payload
/// first, manifest last, into `done/`), checking each against its manifest, and counts what it got.
final class DropConsumer: Sendable {
    let folder: DropFolder
    private let state = Mutex<(subjects: [String: Int], packets: [String: Int], problems: [String])>(([:], [:], []))

    init(folder: DropFolder) { self.folder = folder }

    var subjects: [String: Int] { state.withLock { $0.subjects } }
    var packets: [String: Int] { state.withLock { $0.packets } }
    var problems: [String] { state.withLock { $0.problems } }

    /// One pass over `outbox/`.
    func takeAll() {
        for (name, manifest) in DropFolder.manifests(folder.outbox) {
            guard let file = manifest["file"] as? String, let subject = manifest["subject"] as? String,
                let packet = manifest["packetId"] as? String, let sha = manifest["sha256"] as? String
            else {
                state.withLock { $0.problems.append("manifest \(name) is incomplete: \(manifest)") }
                continue
            }
            guard let payload = FileManager.default.contents(atPath: folder.outbox + "/" + file) else {
                state.withLock { $0.problems.append("manifest \(name) is in outbox/ but its payload \(file) is not") }
                continue
            }
            if sha256Hex(payload) != sha {
                state.withLock { $0.problems.append("payload \(file) does not match its manifest's sha256") }
            }
            if FileManager.default.fileExists(atPath: folder.done + "/" + name) {
                state.withLock { $0.problems.append("packet \(packet) was delivered into outbox/ again after it was taken") }
            }
            do {
                try folder.take(name)
            } catch {
                state.withLock { $0.problems.append("could not take \(name): \(error)") }
                continue
            }
            state.withLock {
                $0.subjects[subject, default: 0] += 1
                $0.packets[packet, default: 0] += 1
            }
        }
    }
}

@Suite("File-drop adapter: crash safety", .serialized)
struct FileDropCrashTests {
    @Test("kill -9 at random moments during pickup and delivery: every file is sent exactly once and none is lost")
    func killNine_losesNothingAndDuplicatesNothing() async throws {
        let environment = ["LGSP_FILE_DROP_POLL_SECONDS": "0.05"]
        var hub = try await HubProcess.start(environment: environment)
        let data = hub.data
        defer {
            hub.kill()
            data.remove()
        }
        let scenario = try await Scenario.make(hub)
        _ = try await scenario.admin.createFileDropFolders(accessKey: scenario.source.accessKey)
        _ = try await scenario.admin.createFileDropFolders(accessKey: scenario.first.accessKey)
        let source = DropFolder(hub: hub, accessKey: scenario.source.accessKey)
        let destination = DropFolder(hub: hub, accessKey: scenario.first.accessKey)
        // Drop the files while the hub is down, so that pickup starts with the next start.
        hub.kill()
        let count = 30
        var generator = SystemRandomNumberGenerator()
        var contents: [String: String] = [:]
        for index in 0..<count {
            var bytes = Data(count: 600_000 + index * 7919)
            bytes.withUnsafeMutableBytes { raw in
                for offset in stride(from: 0, to: raw.count - 8, by: 8) { raw.storeBytes(of: generator.next(), toByteOffset: offset, as: UInt64.self) }
            }
            let subject = String(format: "crash-%02d", index)
            contents[subject] = sha256Hex(bytes)
            try source.drop(String(format: "file-%02d.bin", index), bytes, manifest: [
                "to": [Scenario.firstUnit], "subject": subject, "dataType": "edoc",
            ])
        }
        hub = try await HubProcess.start(environment: environment, data: data)
        let consumer = DropConsumer(folder: destination)
        let consuming = Task {
            while !Task.isCancelled {
                consumer.takeAll()
                try? await Task.sleep(for: .milliseconds(40))
            }
        }
        defer { consuming.cancel() }

        // Kill the hub at random moments: while pickup is under way (a few more files sent since the
        // restart, then 0-30 ms more), then while deliveries are being written and taken.
        var kills: [String] = []
        var duringPickup = 0
        var duringDelivery = 0
        for round in 0..<10 {
            let pickup = round < 5
            let progress: () -> Int = { pickup ? Self.receipts(source) : Self.written(destination) }
            let before = progress()
            if before >= count { continue }
            let target = before + Int.random(in: 1...4, using: &generator)
            _ = await eventually(timeout: 20, every: 2) { progress() >= target || progress() >= count }
            try await Task.sleep(for: .milliseconds(Int.random(in: 0...30, using: &generator)))
            hub.kill()
            let sent = Self.receipts(source)
            let written = Self.written(destination)
            kills.append("\(pickup ? "pickup" : "delivery"): sent \(sent)/\(count), written \(written)/\(count), taken \(consumer.packets.count)")
            if pickup && sent < count { duringPickup += 1 }
            if !pickup && written < count { duringDelivery += 1 }
            hub = try await HubProcess.start(environment: environment, data: data)
        }
        print("file-drop crash test: kills at \(kills.joined(separator: "; "))")

        let sender = LGSPClient(url: hub.url, accessKey: scenario.source.accessKey, secretKey: scenario.source.secretKey)
        let finished = try await eventually(timeout: 120) {
            guard consumer.packets.count == count else { return false }
            let packets = try await sender.packets(role: "sent", limit: 500).items
            return packets.count >= count && packets.allSatisfy { $0.deliveries.map(\.state) == [.delivered] }
        }
        #expect(finished, "every delivery taken and acknowledged; kills: \(kills)")
        #expect(duringPickup >= 1, "at least one kill interrupted pickup: \(kills)")
        #expect(duringDelivery >= 1, "at least one kill interrupted delivery: \(kills)")

        // Exactly once at the hub: one packet per file.
        let packets = try await sender.packets(role: "sent", limit: 500).items
        #expect(packets.count == count, "packets: \(packets.map(\.subject).sorted())")
        let bySubject = Dictionary(grouping: packets, by: \.subject)
        for subject in contents.keys.sorted() {
            #expect(bySubject[subject]?.count == 1, "\(subject): \(bySubject[subject]?.count ?? 0) packets")
            #expect(bySubject[subject]?.first?.content.sha256 == contents[subject], "\(subject): content")
        }
        // Exactly once at the destination: each subject taken once, no packet written twice, digests right.
        #expect(consumer.problems.isEmpty, "\(consumer.problems)")
        #expect(consumer.subjects.count == count && consumer.subjects.values.allSatisfy { $0 == 1 }, "\(consumer.subjects)")
        #expect(consumer.packets.values.allSatisfy { $0 == 1 })
        let done = DropFolder.manifests(destination.done)
        #expect(done.count == count)
        #expect(Set(done.values.compactMap { $0["subject"] as? String }) == Set(contents.keys))
        for manifest in done.values {
            let file = try #require(manifest["file"] as? String)
            let payload = try #require(FileManager.default.contents(atPath: destination.done + "/" + file))
            #expect(sha256Hex(payload) == contents[manifest["subject"] as? String ?? ""], "\(file)")
        }
        // No file lost or doubled in the source's folders.
        #expect(DropFolder.names(source.inbox).isEmpty, "inbox/: \(DropFolder.names(source.inbox))")
        #expect(DropFolder.names(source.error).isEmpty, "error/: \(DropFolder.names(source.error))")
        let sentNames = DropFolder.names(source.sent)
        #expect(sentNames.count == 3 * count, "sent/: \(sentNames)")
        for index in 0..<count {
            let name = String(format: "file-%02d.bin", index)
            #expect(sentNames.contains(name) && sentNames.contains(name + ".manifest.json") && sentNames.contains(name + ".receipt.json"), "\(name)")
            let packetID = source.receipt(name)?["packetId"] as? String
            #expect(packets.first { $0.subject == String(format: "crash-%02d", index) }?.id.rawValue == packetID, "\(name) receipt")
        }
        #expect(DropFolder.names(destination.outbox).filter { !$0.hasSuffix(".part") }.isEmpty, "outbox/: \(DropFolder.names(destination.outbox))")
    }

    /// Deliveries written so far (manifests in outbox/ or already taken into done/).
    static func written(_ folder: DropFolder) -> Int {
        (DropFolder.names(folder.outbox) + DropFolder.names(folder.done)).filter { $0.hasSuffix(".manifest.json") }.count
    }

    static func receipts(_ folder: DropFolder) -> Int {
        DropFolder.names(folder.sent).filter { $0.hasSuffix(".receipt.json") }.count
    }
}
