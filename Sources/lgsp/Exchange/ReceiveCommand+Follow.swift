import Foundation
import LGSPAPI
import LGSPClient
import LGSPCore
import Synchronization

extension ReceiveCommand {
    /// Takes packets for `lgsp receive`: accept, download (digest checked), write the content and
    /// its metadata, acknowledge with `--ack`, print one line (or JSON line) per packet.
    struct Taker: Sendable {
        let app: LGSPClient
        let out: String
        let ack: Bool
        let json: Bool

        func take(_ item: InboxItem) async throws {
            _ = try await app.accept(item.id)
            let file = "\(out)/\(item.id).\(MediaTypes.fileExtension(item.content.mediaType))"
            let bar = ProgressBar(label: "download")
            let digest = try await app.download(item.id, to: file, progress: { bar.update($0, $1) })
            let metadata = try APICoding.makeEncoder().encode(item)
            try metadata.write(to: URL(fileURLWithPath: "\(out)/\(item.id).json"))
            if ack { try await app.acknowledge(item.id, sha256: digest.hex) }
            if json {
                let line = try APICoding.makeEncoder().encode(Received(packet: item, file: file, sha256: digest.hex, acknowledged: ack))
                Output.line(String(decoding: line, as: UTF8.self))
            } else {
                Output.line("\(ack ? "received and acknowledged" : "received") \(item.id) from \(item.from) [\(item.priority.rawValue)] \"\(item.subject)\" → \(file)")
            }
        }

        /// `--follow`: subscribes to the app's events; takes every packet of each snapshot's inbox
        /// (the first connection's, and each reconnection's), and on `packet.available` reads the
        /// inbox (`limit` at a time) and takes what it has not taken yet. Runs until SIGINT or
        /// SIGTERM (then it finishes the packet in hand, closes the stream and returns) or until the
        /// hub refuses the subscription (an `LGSPClientError`, exit 2).
        ///
        /// A packet that fails with a hub refusal (say `exchange.delivery_final`) or a digest
        /// mismatch is reported on standard error and not tried again in this run; one that fails
        /// in transport (the hub restarting) is tried again at the next snapshot or announcement.
        func follow(limit: Int) async throws {
            let done = Done()
            let stopped = try await TerminationSignals.run {
                for try await message in app.events() {
                    switch message {
                    case .snapshot(let snapshot):
                        try await takeAll(snapshot.inbox, done: done)
                    case .event(let event):
                        guard let available = event.available, !done.contains(available.packetId) else { continue }
                        try await takeAll(try await app.inbox(limit: limit), done: done)
                    }
                }
            }
            Output.error("lgsp receive: \(stopped ? "stopped" : "stream ended"); \(done.received) packet(s) received")
        }

        /// Takes the items not done yet, each in a task of its own so that a stop signal lets it finish.
        private func takeAll(_ items: [InboxItem], done: Done) async throws {
            for item in items where !done.contains(item.id) {
                try Task.checkCancellation()
                let outcome = await Task { () -> Result<Void, any Error> in
                    do { return .success(try await take(item)) } catch { return .failure(error) }
                }.value
                switch outcome {
                case .success:
                    // Acknowledged packets leave the inbox for good: no need to remember them.
                    done.insert(item.id, received: true, remember: !ack)
                case .failure(let error as LGSPClientError):
                    Output.error("error: packet \(item.id): \(error)")
                    done.insert(item.id, received: false, remember: true)
                case .failure(let error):
                    Output.error("error: packet \(item.id) (will try again): \(error)")
                }
            }
        }
    }

    /// The packets this run has finished with (those that could still show in the inbox), and a count.
    final class Done: Sendable {
        private let state = Mutex<(ids: Set<PacketID>, received: Int)>(([], 0))

        func contains(_ id: PacketID) -> Bool { state.withLock { $0.ids.contains(id) } }
        func insert(_ id: PacketID, received: Bool, remember: Bool) {
            state.withLock { state in
                if remember { state.ids.insert(id) }
                if received { state.received += 1 }
            }
        }
        var received: Int { state.withLock { $0.received } }
    }
}
