import Foundation
import LGSPCore
import Testing

/// What a store conformance check gets: the store under test (both ports) and a way to read
/// everything the backend keeps at rest (to prove secrets and keys are never stored in clear).
public struct StoreFixture: Sendable {
    public let directory: any DirectoryStore
    public let packets: any PacketStore
    public let rawContents: @Sendable () async throws -> Data

    public init(directory: any DirectoryStore, packets: any PacketStore, rawContents: @escaping @Sendable () async throws -> Data) {
        self.directory = directory
        self.packets = packets
        self.rawContents = rawContents
    }
}

/// The `DirectoryStore` contract, as checks every implementation must pass.
public enum DirectoryStoreConformance {
    public static let checks: [ConformanceCheck<StoreFixture>] = [
        .init("units are stored and listed by code") { fixture in
            let store = fixture.directory
            try await store.addUnit(Fixtures.unit("000.00.05.H24", "Sở Tài chính"))
            try await store.addUnit(Fixtures.unit("000.00.00.H24", "Ủy ban nhân dân thành phố Hải Phòng"))
            let unit = try #require(try await store.unit(UnitCode(lenient: "000.00.05.H24")!))
            #expect(unit.name == "Sở Tài chính")
            #expect(unit.status == .active)
            #expect(try await store.units().map(\.code.rawValue) == ["000.00.00.H24", "000.00.05.H24"])
            #expect(try await store.unit(UnitCode(lenient: "000.00.09.H24")!) == nil)
        },
        .init("a unit code registered twice is refused with directory.unit_exists") { fixture in
            try await fixture.directory.addUnit(Fixtures.unit("000.00.05.H24"))
            let error = await #expect(throws: LGSPError.self) { try await fixture.directory.addUnit(Fixtures.unit("000.00.05.H24", "Khác")) }
            #expect(error?.code == .unitExists)
            #expect(try await fixture.directory.units().count == 1)
        },
        .init("apps are found by id, access key and unit, with their secret") { fixture in
            let store = fixture.directory
            try await store.addUnit(Fixtures.unit("000.00.05.H24"))
            try await store.addUnit(Fixtures.unit("000.00.06.H24"))
            let first = Fixtures.app(unit: "000.00.05.H24", receives: .only([try DataType("edoc")]))
            let second = Fixtures.app(unit: "000.00.06.H24", receives: .all)
            let admin = Fixtures.app(unit: nil, role: .admin, receives: .only([]))
            let secret = Fixtures.secret(for: first)
            try await store.addApp(first, secret: secret)
            try await store.addApp(second, secret: Fixtures.secret(for: second))
            try await store.addApp(admin, secret: Fixtures.secret(for: admin))
            #expect(try await store.app(id: first.id) == first)
            #expect(try await store.app(accessKey: second.accessKey) == second)
            #expect(try await store.app(accessKey: "LGSPNOSUCHKEY0000000") == nil)
            #expect(try await store.apps(unit: UnitCode(lenient: "000.00.05.H24")!).map(\.id) == [first.id])
            #expect(Set(try await store.apps(unit: nil).map(\.id)) == [first.id, second.id, admin.id])
            #expect(try await store.secrets(appID: first.id).map(\.secret) == [secret.secret])
        },
        .init("secrets are sealed at rest: the plaintext never reaches storage") { fixture in
            try await fixture.directory.addUnit(Fixtures.unit("000.00.05.H24"))
            let app = Fixtures.app(unit: "000.00.05.H24")
            let secret = Fixtures.secret(for: app)
            try await fixture.directory.addApp(app, secret: secret)
            let raw = try await fixture.rawContents()
            #expect(raw.range(of: Data(app.accessKey.utf8)) != nil, "the raw contents should hold the access key (sanity check of rawContents)")
            #expect(raw.range(of: Data(secret.secret.utf8)) == nil)
        },
        .init("status changes are stored; an unknown app is directory.unknown_app") { fixture in
            try await fixture.directory.addUnit(Fixtures.unit("000.00.05.H24"))
            let app = Fixtures.app(unit: "000.00.05.H24")
            try await fixture.directory.addApp(app, secret: Fixtures.secret(for: app))
            try await fixture.directory.setStatus(.disabled, appID: app.id)
            #expect(try await fixture.directory.app(id: app.id)?.status == .disabled)
            let error = await #expect(throws: LGSPError.self) { try await fixture.directory.setStatus(.disabled, appID: "missing") }
            #expect(error?.code == .unknownApp)
        },
        .init("the formats an app accepts are stored in order and replaced; an unknown app is directory.unknown_app") { fixture in
            try await fixture.directory.addUnit(Fixtures.unit("000.00.05.H24"))
            var app = Fixtures.app(unit: "000.00.05.H24")
            app.accepts = [try ContentFormat("citizen-national"), try ContentFormat("citizen-legacy")]
            try await fixture.directory.addApp(app, secret: Fixtures.secret(for: app))
            #expect(try await fixture.directory.app(id: app.id)?.accepts == app.accepts)
            try await fixture.directory.setAccepts([try ContentFormat("edxml")], appID: app.id)
            #expect(try await fixture.directory.app(id: app.id)?.accepts.map(\.rawValue) == ["edxml"])
            try await fixture.directory.setAccepts([], appID: app.id)
            #expect(try await fixture.directory.app(id: app.id)?.accepts == [])
            let error = await #expect(throws: LGSPError.self) { try await fixture.directory.setAccepts([], appID: "missing") }
            #expect(error?.code == .unknownApp)
        },
        .init("a rotation adds a secret and retires the others at the given time") { fixture in
            try await fixture.directory.addUnit(Fixtures.unit("000.00.05.H24"))
            let app = Fixtures.app(unit: "000.00.05.H24")
            let old = Fixtures.secret(for: app, at: Fixtures.epoch)
            try await fixture.directory.addApp(app, secret: old)
            let new = Fixtures.secret(for: app, at: Fixtures.epoch.addingTimeInterval(60))
            let retire = Fixtures.epoch.addingTimeInterval(3600)
            try await fixture.directory.addSecret(new, retireOthersAt: retire)
            let secrets = try await fixture.directory.secrets(appID: app.id)
            #expect(secrets.map(\.id) == [new.id, old.id])
            #expect(secrets[0].expiresAt == nil)
            #expect(secrets[1].expiresAt == retire)
            #expect(secrets[1].isUsable(at: retire.addingTimeInterval(-1)))
            #expect(!secrets[1].isUsable(at: retire))
        },
        .init("grants are stored and listed per app") { fixture in
            try await fixture.directory.addUnit(Fixtures.unit("000.00.05.H24"))
            let app = Fixtures.app(unit: "000.00.05.H24")
            let other = Fixtures.app(unit: "000.00.05.H24")
            try await fixture.directory.addApp(app, secret: Fixtures.secret(for: app))
            try await fixture.directory.addApp(other, secret: Fixtures.secret(for: other))
            let grant = Grant(id: "g1", appID: app.id, sendTo: try UnitPattern("*.H24"), dataType: try DataType("edoc"), createdAt: Fixtures.epoch)
            let wide = Grant(id: "g2", appID: other.id, sendTo: try UnitPattern("*"), dataType: nil, createdAt: Fixtures.epoch.addingTimeInterval(1))
            try await fixture.directory.addGrant(grant)
            try await fixture.directory.addGrant(wide)
            #expect(try await fixture.directory.grants(appID: app.id) == [grant])
            #expect(try await fixture.directory.grants(appID: nil) == [grant, wide])
        },
    ] + searchChecks
}
