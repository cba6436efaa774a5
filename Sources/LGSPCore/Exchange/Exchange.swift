import Logging

import Foundation

/// The send and receive processes of the regulation (Articles 8 and 9), over the ports.
///
/// `Exchange` knows no wire format and no database: adapters turn requests into calls on it, and
/// storage backends implement its ports. Every state change goes through `DeliveryStateMachine`
/// and is applied by the `PacketStore` as a compare-and-set, so several nodes can share the work.
public struct Exchange: Sendable {
    public let directory: any DirectoryStore
    public let packets: any PacketStore
    public let blobs: any BlobStore
    public let clock: any HubClock
    public let masterKey: MasterKey
    public let configuration: ExchangeConfiguration
    let logger: Logger
    let uploadLocks = UploadLocks()

    public init(
        directory: any DirectoryStore, packets: any PacketStore, blobs: any BlobStore, clock: any HubClock = SystemClock(),
        masterKey: MasterKey, configuration: ExchangeConfiguration = ExchangeConfiguration(),
        logger: Logger = Logger(label: "lgsp.exchange")
    ) {
        self.directory = directory
        self.packets = packets
        self.blobs = blobs
        self.clock = clock
        self.masterKey = masterKey
        self.configuration = configuration
        self.logger = logger
    }

    /// The packet or `exchange.unknown_packet`.
    func requirePacket(_ id: PacketID) async throws -> Packet {
        guard let packet = try await packets.packet(id) else {
            throw LGSPError(.unknownPacket, "there is no packet \(id)")
        }
        return packet
    }

    /// The packet with its deliveries, or `exchange.unknown_packet`.
    func requirePacketWithDeliveries(_ id: PacketID) async throws -> PacketSummary {
        guard let summary = try await packets.packetWithDeliveries(id) else {
            throw LGSPError(.unknownPacket, "there is no packet \(id)")
        }
        return summary
    }

    /// The packet's content key, or `exchange.content_purged` once the packet was purged.
    func contentKey(of packet: Packet) async throws -> ContentKey {
        guard let sealed = try await packets.sealedContentKey(of: packet.id) else {
            throw LGSPError(.contentPurged, "the content of packet \(packet.id) was deleted after delivery completed; only its metadata and digest remain")
        }
        return try ContentKey.open(sealed, with: masterKey, packet: packet.id)
    }
}
