import BillingCore
import Foundation

/// The outbox: which anomaly goes to which channel, recorded before sending, so a failed delivery is
/// retried by the next run and a delivered one is never sent twice.
public protocol DeliveryLog: Sendable {
    /// Deliveries of anomalies dated in `days`.
    func deliveries(in days: ClosedRange<CalendarDay>) async throws -> [Delivery]
}

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

/// An error that knows whether trying again can help; others count as retryable.
public protocol RetryableError: Error {
    var isRetryable: Bool { get }
}
