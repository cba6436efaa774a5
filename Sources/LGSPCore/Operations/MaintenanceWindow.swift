import Foundation

/// A planned maintenance window announced to every connected app (Articles 13, 15.6): what, when,
/// and optionally which services or units it affects.
public struct MaintenanceWindow: Sendable, Hashable, Codable {
    /// A UUID version 7 (time-ordered), lowercase; also the `packetID` of the `hub.maintenance` events.
    public var id: String
    /// A short title, in Vietnamese.
    public var title: String
    /// What happens and what apps should do, in Vietnamese.
    public var message: String
    /// The same message in English, when given.
    public var messageEnglish: String?
    public var startsAt: Date
    public var endsAt: Date
    /// Affected services (`000.00.31.H24/tra-cuu-ho-so`, or free names such as `soap`); empty: the whole hub.
    public var services: [String]
    /// Affected units; empty: every unit.
    public var units: [UnitCode]
    public var announcedAt: Date
    /// Who announced it (`admin:<accessKey>`, or the console's user).
    public var announcedBy: String
    /// When the window was last changed, nil if never.
    public var updatedAt: Date?
    public var cancelledAt: Date?
    public var cancelledBy: String?
    /// Why it was cancelled, when said.
    public var cancelReason: String?

    public init(
        id: String, title: String, message: String, messageEnglish: String?, startsAt: Date, endsAt: Date, services: [String], units: [UnitCode],
        announcedAt: Date, announcedBy: String, updatedAt: Date? = nil, cancelledAt: Date? = nil, cancelledBy: String? = nil, cancelReason: String? = nil
    ) {
        self.id = id
        self.title = title
        self.message = message
        self.messageEnglish = messageEnglish
        self.startsAt = startsAt
        self.endsAt = endsAt
        self.services = services
        self.units = units
        self.announcedAt = announcedAt
        self.announcedBy = announcedBy
        self.updatedAt = updatedAt
        self.cancelledAt = cancelledAt
        self.cancelledBy = cancelledBy
        self.cancelReason = cancelReason
    }

    /// Where a window stands at a given time.
    public enum Phase: String, Sendable, Codable, CaseIterable {
        /// Announced, not started.
        case upcoming
        /// Under way: `startsAt <= now < endsAt`.
        case ongoing
        /// Over.
        case ended
        /// Called off before it ended.
        case cancelled
    }

    public func phase(at now: Date) -> Phase {
        if cancelledAt != nil { return .cancelled }
        if now < startsAt { return .upcoming }
        return now < endsAt ? .ongoing : .ended
    }
}

/// What an administrator gives to announce (or re-announce) a maintenance window.
public struct MaintenanceDraft: Sendable, Hashable {
    public var title: String
    public var message: String
    public var messageEnglish: String?
    public var startsAt: Date
    public var endsAt: Date
    public var services: [String]
    /// Unit codes as given (parsed strictly by the use case).
    public var units: [String]

    public init(title: String, message: String, messageEnglish: String? = nil, startsAt: Date, endsAt: Date, services: [String] = [], units: [String] = []) {
        self.title = title
        self.message = message
        self.messageEnglish = messageEnglish
        self.startsAt = startsAt
        self.endsAt = endsAt
        self.services = services
        self.units = units
    }
}
