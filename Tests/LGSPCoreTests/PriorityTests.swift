import Foundation
import LGSPCore
import Testing

@Suite("Priority")
struct PriorityTests {
    @Test("priorities order flash > very_urgent > urgent > normal")
    func ordering_flashFirst() {
        let shuffled: [Priority] = [.urgent, .normal, .flash, .veryUrgent]
        #expect(shuffled.sorted(by: >) == [.flash, .veryUrgent, .urgent, .normal])
        #expect(Priority.flash > .veryUrgent)
        #expect(Priority.veryUrgent > .urgent)
        #expect(Priority.urgent > .normal)
        #expect(!(Priority.normal < .normal))
    }

    @Test(
        "each level has its rank, raw value and Vietnamese name",
        arguments: [
            (Priority.normal, 0, "normal", "Thường"),
            (Priority.urgent, 1, "urgent", "Khẩn"),
            (Priority.veryUrgent, 2, "very_urgent", "Thượng khẩn"),
            (Priority.flash, 3, "flash", "Hỏa tốc"),
        ])
    func level_hasRankRawValueAndName(priority: Priority, rank: Int, rawValue: String, name: String) throws {
        #expect(priority.rank == rank)
        #expect(Priority(rank: rank) == priority)
        #expect(priority.rawValue == rawValue)
        #expect(Priority(rawValue: rawValue) == priority)
        #expect(priority.vietnameseName == name)
        let json = try JSONEncoder().encode(priority)
        #expect(String(decoding: json, as: UTF8.self) == "\"\(rawValue)\"")
        #expect(try JSONDecoder().decode(Priority.self, from: json) == priority)
    }

    @Test("ranks outside 0...3 and unknown raw values give no priority")
    func unknown_givesNil() {
        #expect(Priority(rank: -1) == nil)
        #expect(Priority(rank: 4) == nil)
        #expect(Priority(rawValue: "veryUrgent") == nil)
        #expect(Priority(rawValue: "FLASH") == nil)
    }
}
