import Foundation
import LGSPCore

/// Ready-made domain values for tests.
public enum Fixtures {
    public static let epoch = Date(timeIntervalSince1970: 1_796_000_000)

    public static func unit(_ code: String, _ name: String = "Đơn vị thử nghiệm", parent: UnitCode? = nil) -> LGSPCore.Unit {
        Unit(code: UnitCode(lenient: code)!, name: name, parent: parent, createdAt: epoch)
    }

    public static func app(unit: String?, name: String = "Ứng dụng", role: AppRole = .app, receives: DataTypeSet = .all) -> App {
        App(
            id: CredentialGenerator.identifier(), unit: unit.flatMap(UnitCode.init(lenient:)), name: name,
            accessKey: CredentialGenerator.accessKey(), role: role, receives: receives, createdAt: epoch)
    }

    public static func secret(for app: App, at date: Date = epoch) -> AppSecret {
        AppSecret(id: CredentialGenerator.identifier(), appID: app.id, secret: CredentialGenerator.secretKey(), createdAt: date)
    }

    /// A packet from `source` to the given recipients, awaiting upload.
    public static func packet(
        from source: App, to recipients: [String], priority: Priority = .normal, createdAt: Date = epoch, notBefore: Date? = nil,
        deadline: Date? = nil, idempotencyKey: String? = nil, content: Data = Data("nội dung".utf8)
    ) -> Packet {
        Packet(
            id: PacketID.generate(at: createdAt), sourceAppID: source.id, sourceUnit: source.unit ?? UnitCode(level1: "H24"),
            recipients: recipients.map { UnitCode(lenient: $0)! }, subject: "Công văn", priority: priority, dataType: try! DataType("edoc"),
            exchangeProtocol: "rest", content: ContentDescriptor(size: Int64(content.count), sha256: .of(content), mediaType: "text/plain"),
            policy: PacketPolicy(notBefore: notBefore, deadline: deadline), idempotencyKey: idempotencyKey, state: .awaitingUpload,
            createdAt: createdAt, uploadExpiresAt: createdAt.addingTimeInterval(3600), originHub: "test")
    }

    /// One delivery per (recipient, app).
    public static func deliveries(of packet: Packet, to targets: [(unit: String, app: App)], state: DeliveryState = .created) -> [Delivery] {
        targets.map { Delivery(packetID: packet.id, recipient: UnitCode(lenient: $0.unit)!, appID: $0.app.id, state: state, updatedAt: packet.createdAt) }
    }
}
