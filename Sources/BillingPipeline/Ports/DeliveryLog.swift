import BillingCore
import Foundation

/// The outbox: which anomaly goes to which channel, recorded before sending, so a failed delivery is
/// retried by the next run and a delivered one is never sent twice.
public protocol DeliveryLog: Sendable {
    /// Deliveries of anomalies dated in `days`.
    func deliveries(in days: ClosedRange<CalendarDay>) async throws -> [Delivery]
}
