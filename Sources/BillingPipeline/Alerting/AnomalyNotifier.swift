import BillingCore
import Foundation
import Logging

/// Sends anomalies to the channels and records the outcome on each, so a rerun does not resend them.
struct AnomalyNotifier {
    var alerter: Alerter
    var store: any BillingStore
    var logger: Logger

    func notify(_ anomalies: [Anomaly], now: Date) async throws -> [ChannelOutcome] {
        guard !anomalies.isEmpty else { return [] }
        let outcomes = await alerter.send(.anomalies(anomalies), logger: logger)
        let state = outcomes.notificationState(at: now)
        var changes = StoreChanges(now: now)
        changes.notifications = anomalies.map {
            AnomalyNotification(date: $0.date, hour: $0.hour, key: $0.key, state: state)
        }
        try await store.commit(changes)
        return outcomes
    }
}
