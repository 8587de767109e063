import BillingCore
import Foundation

/// What the outbox needs of the store, read once per run before anything is decided: the anomalies
/// and deliveries of the days it retries, verdicts on them, and the silences.
struct OutboxState {
    var anomalies: [Anomaly]
    var deliveries: [Delivery]
    var feedback: [AnomalyFeedback]
    var silences: [Silence]
    /// The days whose owed deliveries are retried.
    var days: ClosedRange<CalendarDay>

    /// Reads anomalies and feedback dated in `recent` (which must cover `days`), and deliveries of `days`.
    static func read(from store: any JobStore, days: ClosedRange<CalendarDay>, recent: ClosedRange<CalendarDay>) async throws -> OutboxState {
        precondition(recent.contains(days.lowerBound) && recent.contains(days.upperBound))
        return OutboxState(
            anomalies: try await store.anomalies(in: recent), deliveries: try await store.deliveries(in: days),
            feedback: try await store.feedback(in: recent), silences: try await store.silences(), days: days)
    }

    /// The anomalies stored for `day` before this run: what it has already announced.
    func announced(on day: CalendarDay) -> [Anomaly] {
        anomalies.filter { $0.date == day }
    }

    /// Who is told what once `changes` are committed: `anomalies` announced, and what is still owed
    /// for `days` sent again.
    func plan(announcing anomalies: [Anomaly], after changes: StoreChanges, alerter: Alerter) -> DeliveryPlan {
        DeliveryPlan(
            announcing: anomalies, standing: changes.anomalies(standingAfter: self.anomalies.filter { days.contains($0.date) }),
            deliveries: deliveries, feedback: feedback.filter { days.contains($0.date) }, silences: silences,
            channels: alerter.routedChannels, now: changes.now)
    }
}
