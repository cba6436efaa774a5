import Foundation
import LGSPAPI
import LGSPClient
import LGSPTesting

/// A small directory set up through the admin API of a live hub: a source department and two
/// receiving wards, one app each, the source granted to send `edoc` to every unit of H24.
struct Scenario {
    let hub: HubProcess
    let admin: LGSPClient
    let source: CredentialResponse
    let first: CredentialResponse
    let second: CredentialResponse

    static let sourceUnit = "000.00.02.H24"
    static let firstUnit = "000.00.31.H24"
    static let secondUnit = "000.00.32.H24"

    static func make(_ hub: HubProcess) async throws -> Scenario {
        let admin = try hub.adminClient()
        _ = try await admin.addUnit(code: "000.00.00.H24", name: "Ủy ban nhân dân thành phố Hải Phòng")
        _ = try await admin.addUnit(code: sourceUnit, name: "Sở Tài chính", parent: "000.00.00.H24")
        _ = try await admin.addUnit(code: firstUnit, name: "Ủy ban nhân dân Phường Hải Dương", parent: "000.00.00.H24")
        _ = try await admin.addUnit(code: secondUnit, name: "Ủy ban nhân dân Phường Thành Đông", parent: "000.00.00.H24")
        let source = try await admin.createApp(unit: sourceUnit, name: "Quản lý văn bản STC", receives: ["edoc"])
        let first = try await admin.createApp(unit: firstUnit, name: "Một cửa Hải Dương", receives: ["edoc"])
        let second = try await admin.createApp(unit: secondUnit, name: "Một cửa Thành Đông", receives: ["*"])
        _ = try await admin.addGrant(app: source.accessKey, sendTo: "*.H24", dataType: "edoc")
        return Scenario(hub: hub, admin: admin, source: source, first: first, second: second)
    }

    func client(_ credential: CredentialResponse) -> LGSPClient {
        LGSPClient(url: hub.url, accessKey: credential.accessKey, secretKey: credential.secretKey)
    }

    /// Writes `data` to a temporary file in the hub's test folder.
    func file(_ name: String, _ data: Data) throws -> String {
        let path = hub.data.path + "/" + name
        try data.write(to: URL(fileURLWithPath: path))
        return path
    }
}
