import Foundation
import LGSPAPI
import LGSPAuth
import LGSPCore

/// The hub's clock offset from this machine's, read from an `auth.clock_skew` problem.
enum ClockSkew {
    /// The hub states its time in whole seconds (`details.serverTime`), read somewhere between the
    /// moment the request left (`sentAt`) and the moment the answer arrived (`receivedAt`): the best
    /// estimate sets the middle of that second against the middle of the round trip, so a slow
    /// answer (a loaded hub) costs at most half its round trip plus half a second.
    static func offset(_ problem: ProblemBody, sentAt: Date, receivedAt: Date = Date()) -> TimeInterval? {
        guard problem.code == ErrorCode.clockSkew.rawValue, let server = problem.details?["serverTime"].flatMap(AmzDate.parse) else {
            return nil
        }
        let midpoint = sentAt.addingTimeInterval(max(0, receivedAt.timeIntervalSince(sentAt)) / 2)
        return server.addingTimeInterval(0.5).timeIntervalSince(midpoint)
    }
}
