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
        // The destination app takes whatever appears in its outbox.
        let count = 30
        var generator = SystemRandomNumberGenerator()
        var files: [(name: String, bytes: Data, subject: String)] = []
        var contents: [String: String] = [:]
        for index in 0..<count {
            var bytes = Data(count: 700_000 + index * 7919)
            bytes.withUnsafeMutableBytes { raw in
                for offset in stride(from: 0, to: raw.count - 8, by: 8) { raw.storeBytes(of: generator.next(), toByteOffset: offset, as: UInt64.self) }
            }
            let subject = String(format: "crash-%02d", index)
            contents[subject] = sha256Hex(bytes)
            files.append((String(format: "file-%02d.bin", index), bytes, subject))
        }
        // The source app drops a wave of five files before every other kill (paced by the kills, not
        // by the clock: a loaded machine restarts the hub slowly, and a wave must be there to pick up).
        var dropped = 0
        func dropWave(_ wave: Int) throws {
            for file in files.dropFirst(wave * 5).prefix(5) {
                try source.drop(file.name, file.bytes, manifest: ["to": [Scenario.firstUnit], "subject": file.subject, "dataType": "edoc"])
                dropped += 1
            }
        }
        let consumer = DropConsumer(folder: destination)
        let consuming = Task {
            while !Task.isCancelled {
                consumer.takeAll()
                try? await Task.sleep(for: .milliseconds(40))
            }
        }
        defer { consuming.cancel() }

        // Kill the hub 12 times: every other time at a random moment (80-500 ms after a start), and
        // otherwise right inside a pickup (0-3 ms after the content of a packet whose file is not in
        // sent/ yet appears in the hub's content folder: created, being uploaded, or not yet moved).
        // A kill counts as during pickup when a dropped file was not sent yet, and as during delivery
        // when a sent file was not written yet or a written one not yet acknowledged.
        var kills: [String] = []
        var duringPickup = 0
        var duringDelivery = 0
        var insideUpload = 0
        for round in 0..<12 {
            var targeted = false
            if round % 2 == 0 { try dropWave(round / 2) }
            let markerFolder = hub.dataPath + "/drop/.lgsp/\(scenario.first.accessKey)/written"
            if round % 2 == 0 && Self.receipts(source) < count {
                targeted = await eventually(timeout: 10, every: 1) { !Self.uploadsInFlight(hub: hub, source: source).isEmpty }
                try await Task.sleep(for: .milliseconds(Int.random(in: 0...3, using: &generator)))
            } else if round % 2 == 1 {
                // Inside a delivery: a sent file not yet written to the outbox, or written and not yet acknowledged.
                targeted = await eventually(timeout: 10, every: 1) {
                    Self.written(destination) < Self.receipts(source) || !DropFolder.names(markerFolder).isEmpty
                }
                if !targeted { try await Task.sleep(for: .milliseconds(Int.random(in: 80...500, using: &generator))) }
            } else {
                try await Task.sleep(for: .milliseconds(Int.random(in: 80...500, using: &generator)))
            }
            hub.kill()
            let sent = Self.receipts(source)
            let written = Self.written(destination)
            let markers = DropFolder.names(hub.dataPath + "/drop/.lgsp/\(scenario.first.accessKey)/written").count
            let droppedNow = dropped
            let inFlight = Self.uploadsInFlight(hub: hub, source: source).count
            kills.append(
                "\(targeted ? (round % 2 == 0 ? "in pickup" : "in delivery") : "random"): dropped \(droppedNow), sent \(sent), in flight \(inFlight), written \(written), taken \(consumer.packets.count), unacknowledged \(markers)")
            if sent < droppedNow { duringPickup += 1 }
            if inFlight > 0 { insideUpload += 1 }
            if written < sent || markers > 0 { duringDelivery += 1 }
            hub = try await HubProcess.start(environment: environment, data: data)
        }
        #expect(dropped == count)
        print("file-drop crash test: kills at \(kills.joined(separator: "; "))")

        let sender = LGSPClient(url: hub.url, accessKey: scenario.source.accessKey, secretKey: scenario.source.secretKey)
        let finished = try await eventually(timeout: 120) {
            guard consumer.packets.count == count else { return false }
            let packets = try await sender.packets(role: "sent", limit: 500).items
            return packets.count >= count && packets.allSatisfy { $0.deliveries.map(\.state) == [.delivered] }
        }
        #expect(finished, "every delivery taken and acknowledged; kills: \(kills)")
        #expect(duringPickup >= 2, "kills interrupted pickup: \(kills)")
        #expect(insideUpload >= 1, "a kill landed between a packet's creation and its file's move to sent/: \(kills)")
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

    /// Packets whose content the hub holds but whose file has no receipt in sent/ yet.
    static func uploadsInFlight(hub: HubProcess, source: DropFolder) -> Set<String> {
        let root = hub.dataPath + "/content"
        var blobs = Set<String>()
        for shard in DropFolder.names(root) {
            for name in DropFolder.names(root + "/" + shard) where name.hasSuffix(".blob") { blobs.insert(String(name.dropLast(5))) }
        }
        let receipted = Set(DropFolder.names(source.sent).filter { $0.hasSuffix(".receipt.json") }.compactMap {
            source.receipt(String($0.dropLast(".receipt.json".count)))?["packetId"] as? String
        })
        return blobs.subtracting(receipted)
    }

    static func receipts(_ folder: DropFolder) -> Int {
        DropFolder.names(folder.sent).filter { $0.hasSuffix(".receipt.json") }.count
    }
}
