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
    public let notifier: any EventNotifier
    /// Presence of destination apps, for the offline limit; nil: the limit is not applied.
    public let presence: (any PresenceStore)?
    /// Converts content for destinations that accept another format (Article 8.4).
    public let converter: any PayloadConverter
    /// Where destinations' processing statuses are kept; nil: traces are refused (`server.unavailable`).
    public let traces: (any DeliveryTraceStore)?
    /// Told of created packets and delivery state changes (audit log, metrics); nil: nobody listens.
    public var observer: (any ExchangeObserver)?
    let logger: Logger
    let uploadLocks = UploadLocks()
    /// Packets whose deliveries this node is converting and offering (the upload and the sweep may meet).
    let conversionLocks = UploadLocks()

    public init(
        directory: any DirectoryStore, packets: any PacketStore, blobs: any BlobStore, clock: any HubClock = SystemClock(),
        masterKey: MasterKey, configuration: ExchangeConfiguration = ExchangeConfiguration(), notifier: any EventNotifier = SilentNotifier(),
        presence: (any PresenceStore)? = nil, converter: any PayloadConverter = NoConversion(), traces: (any DeliveryTraceStore)? = nil,
        logger: Logger = Logger(label: "lgsp.exchange")
    ) {
        self.traces = traces
        self.converter = converter
        self.presence = presence
        self.notifier = notifier
        self.directory = directory
        self.packets = packets
        self.blobs = blobs
        self.clock = clock
        self.masterKey = masterKey
        self.configuration = configuration
        self.logger = logger
    }

    /// Applies changes through the store and wakes the apps the new events are for.
    func apply(_ changes: [DeliveryChange], packetUpdate: PacketUpdate?, events: [HubEvent]) async throws {
        try await packets.apply(changes, packetUpdate: packetUpdate, events: events)
        observer?.deliveriesChanged(changes.filter { $0.from != $0.to })
        if !events.isEmpty { await notifier.eventsStored(for: Set(events.map(\.appID))) }
    }

    /// The packet with its deliveries and sealed key, or `exchange.unknown_packet`.
    public func record(_ id: PacketID) async throws -> PacketRecord {
        guard let record = try await packets.record(id) else {
            throw LGSPError(.unknownPacket, "there is no packet \(id)")
        }
        return record
    }

    /// The packet's content key, or `exchange.content_purged` once the packet was purged.
    func contentKey(of record: PacketRecord) throws(LGSPError) -> ContentKey {
        guard let sealed = record.sealedContentKey else {
            throw LGSPError(.contentPurged, "the content of packet \(record.packet.id) was deleted after delivery completed; only its metadata and digest remain")
        }
        return try ContentKey.open(sealed, with: masterKey, packet: record.packet.id)
    }
}
