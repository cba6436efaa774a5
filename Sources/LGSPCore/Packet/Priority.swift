/// The urgency of a packet (độ khẩn), from the Vietnamese document urgency levels.
///
/// Due work is handed out flash first, then very urgent, urgent, normal; within a level, oldest first.
public enum Priority: String, Sendable, Codable, CaseIterable, Comparable {
    /// Thường.
    case normal
    /// Khẩn.
    case urgent
    /// Thượng khẩn.
    case veryUrgent = "very_urgent"
    /// Hỏa tốc.
    case flash

    /// 0 for normal up to 3 for flash; stores sort on it.
    public var rank: Int {
        switch self {
        case .normal: 0
        case .urgent: 1
        case .veryUrgent: 2
        case .flash: 3
        }
    }

    /// The level for a stored rank.
    public init?(rank: Int) {
        guard let level = Priority.allCases.first(where: { $0.rank == rank }) else { return nil }
        self = level
    }

    /// The Vietnamese name of the level.
    public var vietnameseName: String {
        switch self {
        case .normal: "Thường"
        case .urgent: "Khẩn"
        case .veryUrgent: "Thượng khẩn"
        case .flash: "Hỏa tốc"
        }
    }

    public static func < (lhs: Priority, rhs: Priority) -> Bool { lhs.rank < rhs.rank }
}
