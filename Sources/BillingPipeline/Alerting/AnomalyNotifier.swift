import BillingCore
import Foundation
import Logging

/// Delivers anomalies through the outbox: records what each channel must get before sending, sends
/// each channel one message with everything it is owed (new anomalies and earlier failures), and
/// records each outcome, so a success is never sent twice and a refusal is not retried.
struct AnomalyNotifier {
    var alerter: Alerter
    var store: any JobStore
    var logger: Logger

    /// Announces `anomalies` and retries what is outstanding for anomalies dated in `days`.
    func notify(_ anomalies: [Anomaly], days: ClosedRange<CalendarDay>, now: Date) async throws -> [ChannelOutcome] {
        let channels = alerter.channels
        if !anomalies.isEmpty {
            var outbox = StoreChanges(now: now)
            outbox.deliveries = anomalies.flatMap { anomaly in
                channels.map { Delivery(date: anomaly.date, hour: anomaly.hour, key: anomaly.key, channel: $0.name, status: .pending, attempts: 0) }
            }
            try await store.commit(outbox)
        }
        let outstanding = try await store.deliveries(in: days).filter(\.isOutstanding)
        guard !outstanding.isEmpty else { return [] }
        let stored = Dictionary(
            try await store.anomalies(in: days).map { (Self.id($0.date, $0.hour, $0.key), $0) }, uniquingKeysWith: { first, _ in first })
        var outcomes: [ChannelOutcome] = []
        var results: [Delivery] = []
        for channel in channels {
            let owed = outstanding.filter { $0.channel == channel.name }
            let message = owed.compactMap { stored[Self.id($0.date, $0.hour, $0.key)] }
                .sorted { ($0.explanation.impact ?? 0) > ($1.explanation.impact ?? 0) }
            guard !message.isEmpty else { continue }
            do {
                try await channel.send(.anomalies(message))
                outcomes.append(ChannelOutcome(channel: channel.name, failure: nil))
                results += owed.map { Self.updated($0, status: .sent, error: nil) }
            } catch {
                let retryable = (error as? any RetryableError)?.isRetryable ?? true
                let reason = String(describing: error)
                logger.warning("alert channel failed", metadata: ["channel": "\(channel.name)", "reason": "\(reason)", "retry": "\(retryable)"])
                outcomes.append(ChannelOutcome(channel: channel.name, failure: retryable ? reason : reason + " (not retried)"))
                results += owed.map { Self.updated($0, status: retryable ? .failed : .rejected, error: reason) }
            }
        }
        var changes = StoreChanges(now: now)
        changes.deliveries = results
        changes.notifications = Self.summaries(results, now: now)
        try await store.commit(changes)
        return outcomes
    }

    static func id(_ date: CalendarDay, _ hour: Int, _ key: CostKey) -> String {
        "\(date.compact)\u{1}\(hour)\u{1}\(key.domainId)\u{1}\(key.projectId)\u{1}\(key.serviceId)"
    }

    static func updated(_ delivery: Delivery, status: Delivery.Status, error: String?) -> Delivery {
        var delivery = delivery
        delivery.status = status
        delivery.attempts += 1
        delivery.lastError = error
        return delivery
    }

    /// Each anomaly's notification state from this run's deliveries: sent when all of them went out.
    static func summaries(_ deliveries: [Delivery], now: Date) -> [AnomalyNotification] {
        let grouped = Dictionary(grouping: deliveries) { id($0.date, $0.hour, $0.key) }
        return grouped.values.compactMap { group in
            guard let first = group.first else { return nil }
            let failures = group.filter { $0.status != .sent }.map { "\($0.channel): \($0.lastError ?? $0.status.rawValue)" }
            let state = failures.isEmpty
                ? NotificationState(status: .sent, at: now)
                : NotificationState(status: .failed, at: now, detail: failures.joined(separator: "; "))
            return AnomalyNotification(date: first.date, hour: first.hour, key: first.key, state: state)
        }
    }
}
