import Foundation
import LGSPCore

/// How the console writes times, sizes and durations: the province's time (UTC+7, no daylight saving)
/// and plain numbers, the same in both languages.
enum ConsoleFormat {
    /// Indochina Time: Vietnam keeps UTC+7 all year.
    static let timeZone = TimeZone(secondsFromGMT: 7 * 3600)!

    static var calendar: Calendar {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        return calendar
    }

    private static func formatter(_ format: String) -> DateFormatter {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = timeZone
        formatter.dateFormat = format
        return formatter
    }

    /// `2026-12-02 14:05:09`.
    static func time(_ date: Date?) -> String {
        guard let date else { return "—" }
        return formatter("yyyy-MM-dd HH:mm:ss").string(from: date)
    }

    /// `2026-12-02`, as `<input type=date>` reads and writes it.
    static func day(_ date: Date) -> String { formatter("yyyy-MM-dd").string(from: date) }

    /// `02/12`, for chart labels.
    static func shortDay(_ date: Date) -> String { formatter("dd/MM").string(from: date) }

    /// The start (local midnight) of the day `text` names (`yyyy-MM-dd`), nil if it is not such a day.
    static func parseDay(_ text: String) -> Date? {
        guard text.count == 10 else { return nil }
        let formatter = formatter("yyyy-MM-dd")
        formatter.isLenient = false
        return formatter.date(from: text)
    }

    /// Local midnight of the day `date` falls on.
    static func startOfDay(_ date: Date) -> Date { calendar.startOfDay(for: date) }

    static func bytes(_ count: Int64) -> String {
        if count < 1024 { return "\(count) B" }
        let units = ["KiB", "MiB", "GiB", "TiB"]
        var value = Double(count) / 1024
        var index = 0
        while value >= 1024 && index < units.count - 1 {
            value /= 1024
            index += 1
        }
        return String(format: "%.1f %@", value, units[index])
    }

    /// `850 ms`, `12.4 s`, `3.2 min`.
    static func millis(_ value: Int64?) -> String {
        guard let value else { return "—" }
        if value < 1000 { return "\(value) ms" }
        if value < 60_000 { return String(format: "%.1f s", Double(value) / 1000) }
        return String(format: "%.1f min", Double(value) / 60_000)
    }
}
