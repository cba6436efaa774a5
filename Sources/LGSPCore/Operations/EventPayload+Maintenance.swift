import Foundation

extension EventPayload {
    /// `hub.maintenance`: a maintenance window was announced, changed or cancelled (to every app).
    public struct Maintenance: Codable, Sendable, Hashable {
        /// `announced`, `updated` or `cancelled`.
        public var change: String
        public var id: String
        public var title: String
        public var message: String
        public var messageEn: String?
        public var startsAt: Date
        public var endsAt: Date
        public var services: [String]
        public var units: [UnitCode]
        public var cancelReason: String?
        public var at: Date

        public init(_ window: MaintenanceWindow, change: String, at: Date) {
            self.change = change
            id = window.id
            title = window.title
            message = window.message
            messageEn = window.messageEnglish
            startsAt = window.startsAt
            endsAt = window.endsAt
            services = window.services
            units = window.units
            cancelReason = window.cancelReason
            self.at = at
        }
    }

    /// The payload as stored in events (dates to the millisecond, sorted keys).
    public static func encoded(_ value: Maintenance) -> Data { encode(value) }
}
