import Foundation
import LGSPCore

/// A small real-looking directory for trying the hub (`lgsp serve --demo`): Hải Phòng city, some of
/// its departments and wards (ward names from the 2025 administrative-unit list in `vn-data`, via
/// thanglequoc/vietnamese-provinces-database, MIT), two apps that may send to each other, and grants.
///
/// The codes have QCVN 102:2016 shape but are illustrative: `H24` for Hải Phòng is inferred from the
/// alphabetical numbering of provinces, not confirmed. Operators load their real directory instead.
public enum DemoDirectory {
    static let province = UnitCode(level1: "H24")

    static let units: [(code: UnitCode, name: String)] = [
        (province, "Ủy ban nhân dân thành phố Hải Phòng"),
        (UnitCode(level1: "H24", level2: 1), "Văn phòng Ủy ban nhân dân thành phố Hải Phòng"),
        (UnitCode(level1: "H24", level2: 2), "Sở Tài chính thành phố Hải Phòng"),
        (UnitCode(level1: "H24", level2: 3), "Sở Nội vụ thành phố Hải Phòng"),
        (UnitCode(level1: "H24", level2: 4), "Sở Y tế thành phố Hải Phòng"),
        (UnitCode(level1: "H24", level2: 5), "Sở Giáo dục và Đào tạo thành phố Hải Phòng"),
        (UnitCode(level1: "H24", level2: 31), "Ủy ban nhân dân Phường Hải Dương"),
        (UnitCode(level1: "H24", level2: 32), "Ủy ban nhân dân Phường Thành Đông"),
        (UnitCode(level1: "H24", level2: 33), "Ủy ban nhân dân Phường Lê Thanh Nghị"),
        (UnitCode(level1: "H24", level2: 34), "Ủy ban nhân dân Phường Chí Linh"),
    ]

    /// The demo apps that were created, with their credentials.
    public struct Loaded: Sendable, Codable {
        public var sender: CredentialFile
        public var receiver: CredentialFile
        /// Where the credentials were written.
        public var credentialsPath: String
    }

    /// Loads the demo directory unless units are already registered; returns the demo apps either way.
    static func load(into hub: Hub) async throws -> Loaded {
        let path = hub.folder.demoCredentialsPath
        if let data = FileManager.default.contents(atPath: path), let loaded = try? JSONDecoder().decode(Loaded.self, from: data) {
            return loaded
        }
        let admin = try await hub.adminCaller()
        let existing = Set(try await hub.store.units().map(\.code))
        for unit in units where !existing.contains(unit.code) {
            _ = try await hub.directory.addUnit(
                code: unit.code.rawValue, name: unit.name, parent: unit.code == province ? nil : province.rawValue, by: admin)
        }
        let edoc = try DataType("edoc")
        let sender = try await hub.directory.createApp(
            unit: "000.00.02.H24", name: "Hệ thống quản lý văn bản – Sở Tài chính", receives: .only([edoc]), by: admin)
        let receiver = try await hub.directory.createApp(
            unit: "000.00.31.H24", name: "Một cửa điện tử – UBND Phường Hải Dương", receives: .only([edoc]), by: admin)
        for app in [sender, receiver] {
            _ = try await hub.directory.addGrant(accessKey: app.app.accessKey, sendTo: "*.H24", dataType: "edoc", by: admin)
        }
        let loaded = Loaded(
            sender: CredentialFile(accessKey: sender.app.accessKey, secretKey: sender.secretKey, unit: "000.00.02.H24", name: sender.app.name),
            receiver: CredentialFile(accessKey: receiver.app.accessKey, secretKey: receiver.secretKey, unit: "000.00.31.H24", name: receiver.app.name),
            credentialsPath: path)
        try hub.folder.writeSecretFile(path, contents: String(decoding: try JSONEncoder.pretty.encode(loaded), as: UTF8.self) + "\n")
        return loaded
    }

    /// A copy-paste example that sends a packet from the demo sender and receives it at the demo receiver.
    public static func example(_ loaded: Loaded, url: String) -> String {
        """
        Demo directory loaded: Hải Phòng (000.00.00.H24), departments 000.00.01–05.H24, wards 000.00.31–34.H24.
        Demo apps (credentials in \(loaded.credentialsPath)):
          sender   \(loaded.sender.accessKey)  \(loaded.sender.name ?? "") (\(loaded.sender.unit ?? ""))
          receiver \(loaded.receiver.accessKey)  \(loaded.receiver.name ?? "") (\(loaded.receiver.unit ?? ""))

        Try it (in another terminal, from the project folder):
          export LGSP_URL=\(url)
          echo "Công văn số 01/STC: thử nghiệm liên thông" > cong-van.txt
          LGSP_ACCESS_KEY=\(loaded.sender.accessKey) LGSP_SECRET_KEY=\(loaded.sender.secretKey) \\
            .build/debug/lgsp send --to 000.00.31.H24 --subject "Công văn thử nghiệm" --data-type edoc --file cong-van.txt
          LGSP_ACCESS_KEY=\(loaded.receiver.accessKey) LGSP_SECRET_KEY=\(loaded.receiver.secretKey) \\
            .build/debug/lgsp receive --out ./nhan --ack

        Or with curl only (AWS Signature V4, region vn, service lgsp):
          curl --aws-sigv4 "aws:amz:vn:lgsp" --user \(loaded.receiver.accessKey):\(loaded.receiver.secretKey) \(url)/v1/inbox
        """
    }
}
