import Foundation
import LGSPCore
import Testing

/// What an audit-log conformance check gets: the log, and a way to change one stored entry's field
/// behind the log's back (as someone with the file would), to prove verification finds it.
public struct AuditLogFixture: Sendable {
    public let log: any AuditLog
    /// Replaces the `target` of the entry with this sequence.
    public let tamper: @Sendable (_ sequence: Int64, _ target: String) async throws -> Void

    public init(log: any AuditLog, tamper: @escaping @Sendable (Int64, String) async throws -> Void) {
        self.log = log
        self.tamper = tamper
    }
}

/// The `AuditLog` contract (see the protocol): every implementation runs these checks.
public enum AuditLogConformance {
    static let start = Date(timeIntervalSince1970: 1_795_000_000.123)

    static func records(_ count: Int, from first: Int = 0) -> [AuditRecord] {
        (first..<first + count).map { index in
            AuditRecord(
                at: start.addingTimeInterval(TimeInterval(index)), actor: "admin:AK\(index)", action: "admin.units.create",
                target: "/v1/admin/units|000.00.\(index).H24", outcome: index % 3 == 0 ? "directory.invalid_unit_code" : "ok",
                source: "127.0.0.1:5\(index)", requestID: "req-\(index)")
        }
    }

    public static let checks: [ConformanceCheck<AuditLogFixture>] = [
        ConformanceCheck("entries get gap-free sequences and chain across batches") { fixture in
            let first = try await fixture.log.append(records(3))
            let second = try await fixture.log.append(records(2, from: 3))
            #expect((first + second).map(\.sequence) == [1, 2, 3, 4, 5])
            var previous = AuditEntry.genesisHash
            for entry in first + second {
                #expect(entry.hash == AuditEntry.chain(previous: previous, sequence: entry.sequence, record: entry.record).hash)
                previous = entry.hash
            }
            #expect(try await fixture.log.head()?.sequence == 5)
            let read = try await fixture.log.entries(from: nil, to: nil, after: 0, limit: 10)
            #expect(read == first + second)
            #expect(read.map(\.record) == records(5).map { var r = $0; r.at = r.at.auditRounded; return r })
        },
        ConformanceCheck("concurrent appends keep the sequence gap-free and the chain intact") { fixture in
            try await withThrowingTaskGroup(of: Void.self) { group in
                for batch in 0..<8 {
                    group.addTask { _ = try await fixture.log.append(records(5, from: batch * 5)) }
                }
                try await group.waitForAll()
            }
            let all = try await fixture.log.entries(from: nil, to: nil, after: 0, limit: 100)
            #expect(all.map(\.sequence) == Array(1...40))
            let result = try await fixture.log.verify()
            #expect(result.isIntact && result.entries == 40)
        },
        ConformanceCheck("entries are read by period and after a sequence, oldest first, limited") { fixture in
            _ = try await fixture.log.append(records(10))
            let period = try await fixture.log.entries(from: start.addingTimeInterval(2), to: start.addingTimeInterval(6), after: 0, limit: 100)
            #expect(period.map(\.sequence) == [3, 4, 5, 6])
            let page = try await fixture.log.entries(from: nil, to: nil, after: 7, limit: 2)
            #expect(page.map(\.sequence) == [8, 9])
        },
        ConformanceCheck("an empty batch writes nothing; an empty log has no head and verifies") { fixture in
            let appended = try await fixture.log.append([])
            let head = try await fixture.log.head()
            let result = try await fixture.log.verify()
            #expect(appended.isEmpty && head == nil && result.isIntact)
        },
        ConformanceCheck("an intact log with signed checkpoints verifies") { fixture in
            let signer = AuditSigner.generate()
            _ = try await fixture.log.append(records(4))
            try await fixture.log.addCheckpoint(try signer.checkpoint(try #require(try await fixture.log.head()), at: start))
            _ = try await fixture.log.append(records(3, from: 4))
            try await fixture.log.addCheckpoint(try signer.checkpoint(try #require(try await fixture.log.head()), at: start.addingTimeInterval(60)))
            #expect(try await fixture.log.checkpoints().map(\.sequence) == [4, 7])
            let result = try await fixture.log.verify(publicKey: signer.publicKey)
            #expect(result.isIntact && result.entries == 7 && result.checkpoints == 2)
        },
        ConformanceCheck("a changed entry is named with its sequence and time") { fixture in
            _ = try await fixture.log.append(records(6))
            try await fixture.tamper(4, "/v1/admin/units|000.00.4.H25")
            let result = try await fixture.log.verify()
            #expect(result.broken?.sequence == 4)
            #expect(result.broken?.at == records(6)[3].at.auditRounded)
            #expect(result.broken?.reason.contains("does not match") == true)
        },
        ConformanceCheck("a checkpoint under another key, or over a different hash, fails verification") { fixture in
            let signer = AuditSigner.generate()
            _ = try await fixture.log.append(records(3))
            let head = try #require(try await fixture.log.head())
            try await fixture.log.addCheckpoint(try AuditSigner.generate().checkpoint(head, at: start))
            #expect(try await fixture.log.verify(publicKey: signer.publicKey).broken?.sequence == 3)
            #expect(try await fixture.log.verify().isIntact)
        },
    ]
}
