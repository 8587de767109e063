import Foundation

/// One anomaly's delivery to one channel.
public struct Delivery: Sendable, Hashable {
    public enum Status: String, Sendable, Hashable, CaseIterable {
        /// Recorded, not yet sent.
        case pending
        case sent
        /// Failed in a way a later try may fix; the next run tries again.
        case failed
        /// Refused for good (a 4xx other than 429); reported, never retried.
        case rejected
        /// No longer owed: a silence or feedback came after it was recorded.
        case withdrawn
    }

    public var date: CalendarDay
    public var hour: Int
    public var key: CostKey
    public var channel: String
    public var status: Status
    public var attempts: Int
    public var lastError: String?

    public init(date: CalendarDay, hour: Int, key: CostKey, channel: String, status: Status, attempts: Int, lastError: String? = nil) {
        self.date = date
        self.hour = hour
        self.key = key
        self.channel = channel
        self.status = status
        self.attempts = attempts
        self.lastError = lastError
    }

    public var isOutstanding: Bool { status == .pending || status == .failed }
}
