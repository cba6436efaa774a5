import Foundation
import Testing

@testable import LGSPCore

/// `TransitionPlan` turns state-machine transitions into store changes and hub events.
@Suite("TransitionPlan")
struct TransitionPlanTests {
    static let at = Date(timeIntervalSince1970: 1_800_000_000)
    static let source = UnitCode(level1: "H23", level2: 5)
    static let recipient = UnitCode(level1: "H24", level2: 7)

    static func packet() throws -> Packet {
        Packet(
            id: PacketID.generate(at: at), sourceAppID: "app-source", sourceUnit: source, recipients: [recipient],
            subject: "Công văn số 12", priority: .urgent, dataType: try DataType("edoc"), exchangeProtocol: "rest",
            content: ContentDescriptor(size: 3, sha256: .of(Data("abc".utf8)), mediaType: "text/plain"),
            policy: PacketPolicy(), idempotencyKey: nil, state: .inTransit, createdAt: at,
            uploadExpiresAt: at.addingTimeInterval(3600), originHub: "hub-test")
    }

    static func delivery(of packet: Packet, in state: DeliveryState) -> Delivery {
        Delivery(
            packetID: packet.id, recipient: recipient, appID: "app-destination", state: state,
            updatedAt: at.addingTimeInterval(-60))
    }

    static func json(_ event: HubEvent) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: event.payload) as? [String: Any])
    }

    @Test("uploaded → due becomes ready then notified: two changes, one packet.available, source status events")
    func due_readiesAndNotifies() throws {
        let packet = try Self.packet()
        var delivery = Self.delivery(of: packet, in: .uploaded)
        var plan = TransitionPlan(packet: packet, at: Self.at)
        try plan.add(.due, to: &delivery)

        #expect(plan.changes.map(\.from) == [.uploaded, .ready])
        #expect(plan.changes.map(\.to) == [.ready, .notified])
        #expect(
            plan.changes.allSatisfy { $0.packetID == packet.id && $0.appID == "app-destination" && $0.at == Self.at })
        #expect(delivery.state == .notified)
        #expect(delivery.updatedAt == Self.at)
        #expect(!plan.reachedFinal)

        let available = plan.events.filter { $0.type == .packetAvailable }
        #expect(available.count == 1)
        let notice = try #require(available.first)
        #expect(notice.appID == "app-destination")
        #expect(notice.packetID == packet.id)
        let body = try Self.json(notice)
        #expect(body["packetId"] as? String == packet.id.rawValue)
        #expect(body["from"] as? String == "000.00.05.H23")
        #expect(body["recipient"] as? String == "000.00.07.H24")
        #expect(body["subject"] as? String == "Công văn số 12")
        #expect(body["priority"] as? String == "urgent")
        #expect(body["dataType"] as? String == "edoc")
        #expect(body["size"] as? Int == 3)
        #expect(body["sha256"] as? String == ContentDigest.of(Data("abc".utf8)).hex)
        #expect(body["mediaType"] as? String == "text/plain")

        let statuses = plan.events.filter { $0.type == .packetStatus }
        #expect(statuses.allSatisfy { $0.appID == "app-source" && $0.packetID == packet.id })
        #expect(plan.events.count == 1 + statuses.count)
    }

    @Test("uploaded → due reports each new state to the source once: ready, then notified")
    func due_reportsEachStateOnce() throws {
        let packet = try Self.packet()
        var delivery = Self.delivery(of: packet, in: .uploaded)
        var plan = TransitionPlan(packet: packet, at: Self.at)
        try plan.add(.due, to: &delivery)
        let states = try plan.events.filter { $0.type == .packetStatus }.map { try Self.json($0)["state"] as? String }
        #expect(states == ["ready", "notified"])
    }

    @Test("expire produces packet.status and delivery.expired for the source and marks the packet possibly finished")
    func expire_reportsExpiry() throws {
        let packet = try Self.packet()
        var delivery = Self.delivery(of: packet, in: .notified)
        var plan = TransitionPlan(packet: packet, at: Self.at)
        try plan.add(.expire(reason: "deadline passed"), to: &delivery)

        #expect(plan.changes.count == 1)
        #expect(plan.changes.first?.from == .notified)
        #expect(plan.changes.first?.to == .expired)
        #expect(plan.changes.first?.reason == "deadline passed")
        #expect(delivery.state == .expired)
        #expect(delivery.reason == "deadline passed")
        #expect(plan.reachedFinal)
        #expect(plan.events.map(\.type) == [.packetStatus, .deliveryExpired])
        #expect(plan.events.allSatisfy { $0.appID == "app-source" })
        let body = try Self.json(try #require(plan.events.last))
        #expect(body["state"] as? String == "expired")
        #expect(body["reason"] as? String == "deadline passed")
        #expect(body["appId"] as? String == "app-destination")
        #expect(body["recipient"] as? String == "000.00.07.H24")
    }

    @Test("giving up produces packet.status and delivery.undeliverable for the source")
    func giveUp_reportsUndeliverable() throws {
        let packet = try Self.packet()
        var delivery = Self.delivery(of: packet, in: .ready)
        var plan = TransitionPlan(packet: packet, at: Self.at)
        try plan.add(.giveUp(reason: "offline"), to: &delivery)
        #expect(plan.events.map(\.type) == [.packetStatus, .deliveryUndeliverable])
        #expect(plan.reachedFinal)
    }

    @Test("accepting again records the renewed download window without changing state or emitting events")
    func acceptAgain_renewsWindowOnly() throws {
        let packet = try Self.packet()
        var delivery = Self.delivery(of: packet, in: .accepted)
        let before = delivery
        var plan = TransitionPlan(packet: packet, at: Self.at)
        let window = Self.at.addingTimeInterval(900)
        try plan.add(.accept, to: &delivery, downloadExpiresAt: window)
        #expect(plan.changes.count == 1)
        #expect(plan.changes.first?.from == .accepted)
        #expect(plan.changes.first?.to == .accepted)
        #expect(plan.changes.first?.downloadExpiresAt == window)
        #expect(plan.events.isEmpty)
        #expect(delivery == before)
        #expect(!plan.reachedFinal)
    }

    @Test("a refused event leaves the plan and the delivery untouched")
    func refusedEvent_changesNothing() throws {
        let packet = try Self.packet()
        var delivery = Self.delivery(of: packet, in: .created)
        let before = delivery
        var plan = TransitionPlan(packet: packet, at: Self.at)
        let error = #expect(throws: LGSPError.self) { try plan.add(.acknowledge, to: &delivery) }
        #expect(error?.code == .notAccepted)
        #expect(plan.changes.isEmpty)
        #expect(plan.events.isEmpty)
        #expect(delivery == before)
    }
}

extension TransitionPlanTests {
    @Test("due with a converted variant: the change carries it, and packet.available offers the variant's size, digest and media type")
    func due_withVariant_offersTheVariant() throws {
        let packet = try Self.packet()
        var delivery = Self.delivery(of: packet, in: .uploaded)
        let converted = Data(#"{"a":1}"#.utf8)
        let variant = ContentVariant(
            format: try ContentFormat("summary-v2"),
            content: ContentDescriptor(size: Int64(converted.count), sha256: .of(converted), mediaType: "application/json"),
            blob: PacketID.generate(at: Self.at))
        var plan = TransitionPlan(packet: packet, at: Self.at)
        try plan.add(.due, to: &delivery, variant: variant)

        #expect(plan.changes.first?.variant == variant)
        #expect(delivery.variant == variant)
        #expect(delivery.content(of: packet) == variant.content)
        #expect(delivery.blob(of: packet) == variant.blob)
        let available = try #require(plan.events.first { $0.type == .packetAvailable })
        let body = try Self.json(available)
        #expect(body["size"] as? Int == converted.count)
        #expect(body["sha256"] as? String == ContentDigest.of(converted).hex)
        #expect(body["mediaType"] as? String == "application/json")
    }

    @Test("transform_failed from uploaded is final, reports the reason to the source and never notifies the destination")
    func transformFailed_reportsToSource() throws {
        let packet = try Self.packet()
        var delivery = Self.delivery(of: packet, in: .uploaded)
        var plan = TransitionPlan(packet: packet, at: Self.at)
        try plan.add(.transformFailed(reason: "transform.rule_failed: mappings/x.mapping.yaml:3: rule 1 (target a): bad"), to: &delivery)

        #expect(delivery.state == .transformFailed)
        #expect(plan.reachedFinal)
        #expect(plan.events.map(\.type) == [.packetStatus])
        #expect(plan.events.first?.appID == packet.sourceAppID)
        #expect(try Self.json(plan.events[0])["reason"] as? String == "transform.rule_failed: mappings/x.mapping.yaml:3: rule 1 (target a): bad")
    }
}
