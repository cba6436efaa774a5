import Foundation
import LGSPCore
import Testing

/// Federation routing: which recipients stay local and which peer carries the others.
@Suite("PeerRouter")
struct PeerRouterTests {
    static func code(_ text: String) -> UnitCode { try! UnitCode(strict: text) }

    static let router = PeerRouter(role: .provincial, peers: [
        .init(name: "hai-duong", serves: [try! UnitServingRule("suffix:H26")]),
        .init(name: "ngsp", serves: [.notLocal]),
        .init(name: "bo", serves: [try! UnitServingRule("prefix:000.00.01.G")]),
    ])

    @Test("a unit of the local directory is local, whatever the peers serve")
    func local_winsOverPeers() {
        let unit = LGSPCore.Unit(code: Self.code("000.00.05.H26"), name: "Sở", createdAt: Date(timeIntervalSince1970: 0))
        #expect(Self.router.route(for: unit.code, localUnit: unit) == .local(unit))
    }

    @Test("explicit rules come before not-local, whatever their order", arguments: [
        ("000.00.05.H26", "hai-duong"), ("000.00.00.H26", "hai-duong"), ("000.00.01.G01", "bo"), ("000.00.05.H23", "ngsp"),
    ])
    func upstream_picksExplicitRuleFirst(code: String, peer: String) {
        #expect(Self.router.route(for: Self.code(code), localUnit: nil) == .upstream(peer: peer))
    }

    @Test("without a not-local peer an unserved code is unknown; without peers the hub is not federated")
    func unknown_whenNobodyServes() {
        let router = PeerRouter(role: .national, peers: [.init(name: "hai-phong", serves: [try! UnitServingRule("suffix:H24")])])
        #expect(router.route(for: Self.code("000.00.05.H26"), localUnit: nil) == .unknown)
        #expect(router.route(for: Self.code("000.00.05.H24"), localUnit: nil) == .upstream(peer: "hai-phong"))
        #expect(router.isFederated)
        #expect(!PeerRouter().isFederated)
        #expect(PeerRouter().route(for: Self.code("000.00.05.H24"), localUnit: nil) == .unknown)
    }

    @Test("serving rules parse their three forms and refuse anything else")
    func servingRules_parse() throws {
        #expect(try UnitServingRule("suffix:h26") == .suffix("H26"))
        #expect(try UnitServingRule(" prefix:000.00. ") == .prefix("000.00."))
        #expect(try UnitServingRule("not-local") == .notLocal)
        for bad in ["suffix:26", "suffix:H2", "everything", "prefix:", "suffix:HH6"] {
            #expect(throws: LGSPError.self, "\(bad)") { try UnitServingRule(bad) }
        }
        #expect(try UnitServingRule("suffix:H26").description == "suffix:H26")
    }

    @Test("a delivery carried by a peer encodes peer and recipient in its app id, and local app ids decode to nothing")
    func upstreamAddress_roundTrips() {
        let address = UpstreamAddress(peer: "ngsp", recipient: Self.code("000.00.05.H26"))
        #expect(address.appID == "peer:ngsp/000.00.05.H26")
        #expect(UpstreamAddress(appID: address.appID) == address)
        #expect(UpstreamAddress(appID: "01JD3K2ZQ6X8") == nil)
        #expect(UpstreamAddress(appID: "peer:/000.00.05.H26") == nil)
        #expect(UpstreamAddress(appID: "peer:ngsp/not-a-code") == nil)
    }
}
