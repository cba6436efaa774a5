import Foundation
import LGSPAPI
import LGSPAuth
import Testing

@testable import LGSPClient

/// Reading the hub's clock offset from an `auth.clock_skew` problem (whole seconds on the wire).
@Suite("Clock skew estimate")
struct ClockSkewTests {
    static func problem(serverTime: Date, code: String = "auth.clock_skew") -> ProblemBody {
        ProblemBody(
            type: "https://lgsp.vn/errors/\(code)", title: code, status: 401, detail: "clock", code: code, field: nil,
            details: ["serverTime": AmzDate.format(serverTime)])
    }

    @Test("a slow answer costs at most half its round trip plus half a second, not the whole round trip")
    func slowAnswer() throws {
        let sentAt = Date(timeIntervalSince1970: 1_800_000_000)
        let receivedAt = sentAt.addingTimeInterval(8)  // a loaded hub took eight seconds to answer
        // The hub's clock is 600 s ahead and it read its time 1.3 s after the request left.
        let hubTime = sentAt.addingTimeInterval(600 + 1.3)
        let offset = try #require(ClockSkew.offset(Self.problem(serverTime: hubTime), sentAt: sentAt, receivedAt: receivedAt))
        #expect(abs(offset - 600) <= 4.5, "estimated \(offset) s")
        // Taking the arrival time as "now" (the earlier estimate) would have been 6.7+ s off.
        #expect(abs(offset - 600) < abs(hubTime.timeIntervalSince(receivedAt) - 600))
    }

    @Test("other problems carry no clock")
    func otherProblems() {
        #expect(ClockSkew.offset(Self.problem(serverTime: Date(), code: "auth.signature_mismatch"), sentAt: Date()) == nil)
    }
}
