import Crypto
import Foundation
import LGSPCore
import Testing

@Suite("MasterKey and ContentKey")
struct MasterKeyTests {
    static let plaintext = Data("khóa bí mật của ứng dụng".utf8)

    @Test("a sealed value opens with the same key and context")
    func seal_thenOpen_roundTrips() throws {
        let master = MasterKey.generate()
        let sealed = master.seal(Self.plaintext, context: "secret:42")
        #expect(sealed != Self.plaintext)
        #expect(sealed.count == 12 + Self.plaintext.count + 16)  // nonce ‖ ciphertext ‖ tag
        #expect(try master.open(sealed, context: "secret:42") == Self.plaintext)
    }

    @Test("sealing twice gives different bytes (random nonce)")
    func seal_usesFreshNonce() {
        let master = MasterKey.generate()
        #expect(master.seal(Self.plaintext, context: "c") != master.seal(Self.plaintext, context: "c"))
    }

    @Test("opening with another key fails with server.storage_failure")
    func open_withOtherKey_fails() {
        let sealed = MasterKey.generate().seal(Self.plaintext, context: "secret:42")
        let error = #expect(throws: LGSPError.self) { try MasterKey.generate().open(sealed, context: "secret:42") }
        #expect(error?.code == .storageFailure)
    }

    @Test("opening under another context fails with server.storage_failure")
    func open_withOtherContext_fails() {
        let master = MasterKey.generate()
        let sealed = master.seal(Self.plaintext, context: "secret:42")
        let error = #expect(throws: LGSPError.self) { try master.open(sealed, context: "secret:43") }
        #expect(error?.code == .storageFailure)
        #expect(error?.message.contains("secret") == true)
    }

    @Test("altered or truncated sealed data fails with server.storage_failure")
    func open_alteredData_fails() {
        let master = MasterKey.generate()
        var sealed = master.seal(Self.plaintext, context: "c")
        sealed[sealed.count / 2] ^= 0x01
        #expect((#expect(throws: LGSPError.self) { try master.open(sealed, context: "c") })?.code == .storageFailure)
        #expect(
            (#expect(throws: LGSPError.self) { try master.open(Data([1, 2, 3]), context: "c") })?.code
                == .storageFailure)
    }

    @Test("the key survives its base64 form, and wrong lengths or text are refused")
    func base64_roundTripsAndValidates() throws {
        let master = MasterKey.generate()
        let again = try MasterKey(base64: "  " + master.base64 + "\n")
        #expect(try again.open(master.seal(Self.plaintext, context: "c"), context: "c") == Self.plaintext)
        #expect((#expect(throws: LGSPError.self) { try MasterKey(bytes: Data(count: 16)) })?.code == .invalidField)
        #expect((#expect(throws: LGSPError.self) { try MasterKey(base64: "not base64!") })?.code == .invalidField)
    }

    @Test("a base64 key ending in CRLF (a key file edited on Windows) is read")
    func base64_acceptsCRLFLineEnding() throws {
        let master = MasterKey.generate()
        let again = try MasterKey(base64: master.base64 + "\r\n")
        #expect(again.base64 == master.base64)
    }

    @Test("descriptions never contain the key bytes")
    func description_redactsKey() throws {
        let bytes = Data((0..<32).map { UInt8($0 * 7 + 1) })
        let master = try MasterKey(bytes: bytes)
        let content = ContentKey(SymmetricKey(data: bytes))
        let hex = bytes.map { String(format: "%02x", $0) }.joined()
        for text in [master.description, String(describing: master), "\(master)", content.description, "\(content)"] {
            #expect(!text.contains(bytes.base64EncodedString()))
            #expect(!text.contains(String(bytes.base64EncodedString().prefix(12))))
            #expect(!text.lowercased().contains(String(hex.prefix(16))))
            #expect(text.contains("redacted"))
        }
    }

    @Test("a content key sealed for a packet opens for that packet only")
    func contentKey_isBoundToPacket() throws {
        let master = MasterKey.generate()
        let key = ContentKey.generate()
        let packet = PacketID.generate()
        let sealed = key.sealed(with: master, packet: packet)
        let opened = try ContentKey.open(sealed, with: master, packet: packet)
        #expect(opened.key == key.key)
        let other = #expect(throws: LGSPError.self) {
            try ContentKey.open(sealed, with: master, packet: PacketID.generate())
        }
        #expect(other?.code == .storageFailure)
        let otherMaster = #expect(throws: LGSPError.self) {
            try ContentKey.open(sealed, with: MasterKey.generate(), packet: packet)
        }
        #expect(otherMaster?.code == .storageFailure)
    }
}
