import Foundation

extension Date {
    /// `2026-11-29T08:00:00.123Z`: ISO 8601 in UTC to the millisecond, rounded to the nearest
    /// millisecond as the stores keep times (a formatter alone truncates, so a stored time could
    /// print one millisecond early). The one date format of the API and of event payloads.
    public var isoMillis: String {
        let millis = Int64((timeIntervalSince1970 * 1000).rounded())
        let (seconds, fraction) = millis.quotientAndRemainder(dividingBy: 1000)
        let whole = fraction < 0 ? seconds - 1 : seconds
        let text = Date(timeIntervalSince1970: TimeInterval(whole)).formatted(Date.ISO8601FormatStyle())
        let digits = String(fraction < 0 ? fraction + 1000 : fraction)
        return text.dropLast() + "." + String(repeating: "0", count: 3 - digits.count) + digits + "Z"
    }
}
